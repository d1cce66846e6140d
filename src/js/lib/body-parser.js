// body-parser.js — the npm `body-parser` (1.x for Express 4, 2.x for 5):
// json, urlencoded, raw and text. libflx has the whole body already, so a
// parser reads it at once; errors carry the status and `type` the package
// gives them (400 entity.parse.failed, 413 entity.too.large, 415 ...).
(function (module, exports, native) {
  'use strict';
  const querystring = require('querystring');
  const qsParse = native.require('internal_qs').parse;
  const mime = native.require('internal_mime');

  function bytes(limit) {
    if (typeof limit === 'number') return limit;
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(String(limit || '100kb'));
    if (!m) return 102400;
    return Math.floor(Number(m[1]) * { b: 1, kb: 1024, mb: 1 << 20, gb: 1 << 30 }[(m[2] || 'b').toLowerCase()]);
  }
  function createError(status, message, props) {
    const e = new Error(message);
    e.status = e.statusCode = status;
    e.expose = status < 500;
    Object.assign(e, props);
    return e;
  }
  function hasBody(req) {
    return req.headers['transfer-encoding'] !== undefined ||
      (req.headers['content-length'] !== undefined && !isNaN(req.headers['content-length']));
  }
  function typeMatcher(type) {
    if (typeof type === 'function') return type;
    const list = [].concat(type);
    return (req) => {
      const ct = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
      if (!ct) return false;
      return list.some((t) => {
        const want = t.indexOf('/') === -1 ? mime.lookup(t) : t.toLowerCase();
        if (!want) return false;
        const [ws, wsub] = want.split('/'), [cs, csub] = ct.split('/');
        return (ws === '*' || ws === cs) && (wsub === '*' || wsub === csub || (wsub.startsWith('*+') && csub && csub.endsWith(wsub.slice(1))));
      });
    };
  }
  function charsetOf(req) {
    const m = /;\s*charset\s*=\s*"?([^";]+)"?/i.exec(req.headers['content-type'] || '');
    return m ? m[1].toLowerCase() : undefined;
  }

  // The common part: skip, match, limit, charset, verify, then parse.
  function make(name, defaults, options, parse) {
    const opts = Object.assign({}, defaults, options);
    const limit = bytes(opts.limit);
    const matches = typeMatcher(opts.type);
    const v2 = require('express').__version >= 5;
    const mw = function (req, res, next) {
      if (req._body) return next();
      if (!v2) req.body = req.body || {};
      if (!hasBody(req) || !matches(req)) return next();
      const charset = charsetOf(req) || opts.defaultCharset;
      if (opts.charsets && charset && !opts.charsets.includes(charset))
        return next(createError(415, 'unsupported charset "' + charset.toUpperCase() + '"', { charset, type: 'charset.unsupported' }));
      const buf = req._flxBody();
      req._flx.done = true;
      if (buf.length > limit)
        return next(createError(413, 'request entity too large', { expected: buf.length, length: buf.length, limit, type: 'entity.too.large' }));
      if (typeof opts.verify === 'function') {
        try { opts.verify(req, res, buf, charset); } catch (e) {
          return next(createError(403, e.message, { body: buf.toString(), type: e.type || 'entity.verify.failed' }));
        }
      }
      req._body = true;
      try {
        req.body = parse(buf, charset, req);
      } catch (e) {
        return next(e.status ? e : createError(400, e.message, { body: buf.toString(), type: 'entity.parse.failed', stack: e.stack }));
      }
      next();
    };
    mw.__flx_clone = () => ['body-parser', [name, options]];
    return mw;
  }
  native.revivers['body-parser'] = ([name, options]) => exports[name](options);

  exports.json = function (options) {
    const opts = Object.assign({ strict: true }, options);
    return make('json', { type: 'application/json', charsets: ['utf-8', 'utf8'] }, options, (buf) => {
      const text = buf.toString('utf8');
      if (text.length === 0) return {};
      try {
        if (opts.strict) {
          const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text);
          if (first && first[1] !== '{' && first[1] !== '[') strictViolation(text, first[1]);
        }
        return JSON.parse(text, opts.reviver);
      } catch (e) {
        throw Object.assign(e, { status: 400, statusCode: 400, expose: true, body: text, type: 'entity.parse.failed' });
      }
    });
  };
  // As body-parser words a body that is JSON but not an object or array:
  // JSON.parse's own error for the text with that character on masked by
  // '#', the '#'s then read back as the text they hid.
  function strictViolation(text, char) {
    const at = text.indexOf(char);
    const masked = text.slice(0, at) + '#'.repeat(text.length - at);
    try {
      JSON.parse(masked);
    } catch (e) {
      e.message = e.message.replace(/#+/g, (hashes) => text.slice(at, at + hashes.length));
      throw e;
    }
    throw new SyntaxError('strict violation');
  }
  exports.urlencoded = function (options) {
    const opts = Object.assign({}, options);
    const extended = opts.extended !== undefined ? Boolean(opts.extended) : require('express').__version < 5;
    return make('urlencoded', { type: 'application/x-www-form-urlencoded', charsets: ['utf-8', 'utf8', 'iso-8859-1'] }, options, (buf) => {
      const text = buf.toString('utf8');
      if (!text) return {};
      const params = text.split('&').length;
      if (params > (opts.parameterLimit || 1000))
        throw createError(413, 'too many parameters', { type: 'parameters.too.many' });
      return extended ? qsParse(text) : Object.assign({}, querystring.parse(text));
    });
  };
  exports.raw = function (options) {
    return make('raw', { type: 'application/octet-stream' }, options, (buf) => buf);
  };
  exports.text = function (options) {
    return make('text', { type: 'text/plain', defaultCharset: 'utf-8' }, options, (buf, charset) =>
      buf.toString(charset === 'iso-8859-1' || charset === 'latin1' ? 'latin1' : 'utf8'));
  };
});
