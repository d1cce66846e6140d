// cookie-parser.js — the npm `cookie-parser` with `cookie` and
// `cookie-signature`: req.cookies, req.signedCookies (s:value.signature,
// HMAC-SHA256), JSON cookies (j:...), and the serialise Express's
// res.cookie uses.
(function (module, exports, native) {
  'use strict';
  const crypto = require('crypto');

  function sign(val, secret) {
    return val + '.' + crypto.createHmac('sha256', secret).update(val).digest('base64').replace(/=+$/, '');
  }
  function unsign(input, secret) {
    const tentative = input.slice(0, input.lastIndexOf('.'));
    const expected = sign(tentative, secret);
    const a = crypto.createHash('sha1').update(expected).digest(), b = crypto.createHash('sha1').update(input).digest();
    return crypto.timingSafeEqual(a, b) ? tentative : false;
  }
  function parse(str) {
    const out = {};
    if (typeof str !== 'string') return out;
    for (const part of str.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const key = part.slice(0, eq).trim();
      if (!key || out[key] !== undefined) continue;
      let val = part.slice(eq + 1).trim();
      if (val[0] === '"') val = val.slice(1, -1);
      try { out[key] = val.indexOf('%') !== -1 ? decodeURIComponent(val) : val; } catch (e) { out[key] = val; }
    }
    return out;
  }
  function serialize(name, val, opt) {
    const enc = (opt && opt.encode) || encodeURIComponent;
    let str = name + '=' + enc(val);
    if (!opt) return str;
    if (opt.maxAge != null) str += '; Max-Age=' + Math.floor(opt.maxAge);
    if (opt.domain) str += '; Domain=' + opt.domain;
    if (opt.path) str += '; Path=' + opt.path;
    if (opt.expires) str += '; Expires=' + opt.expires.toUTCString();
    if (opt.httpOnly) str += '; HttpOnly';
    if (opt.secure) str += '; Secure';
    if (opt.partitioned) str += '; Partitioned';
    if (opt.priority) str += '; Priority=' + opt.priority[0].toUpperCase() + opt.priority.slice(1).toLowerCase();
    if (opt.sameSite) {
      const s = opt.sameSite === true ? 'strict' : String(opt.sameSite).toLowerCase();
      str += '; SameSite=' + s[0].toUpperCase() + s.slice(1);
    }
    return str;
  }
  function JSONCookie(str) {
    if (typeof str !== 'string' || str.slice(0, 2) !== 'j:') return undefined;
    try { return JSON.parse(str.slice(2)); } catch (e) { return undefined; }
  }
  function JSONCookies(obj) {
    for (const k of Object.keys(obj)) { const v = JSONCookie(obj[k]); if (v) obj[k] = v; }
    return obj;
  }
  function signedCookie(str, secret) {
    if (typeof str !== 'string') return undefined;
    if (str.slice(0, 2) !== 's:') return str;
    for (const s of [].concat(secret || [])) { const v = unsign(str.slice(2), s); if (v !== false) return v; }
    return false;
  }
  function signedCookies(obj, secret) {
    const ret = {};
    for (const k of Object.keys(obj)) {
      const v = signedCookie(obj[k], secret);
      if (obj[k] !== v) { ret[k] = v; delete obj[k]; }
    }
    return ret;
  }

  function cookieParser(secret, options) {
    const secrets = !secret || Array.isArray(secret) ? (secret || []) : [secret];
    const mw = function cookieParser(req, res, next) {
      if (req.cookies) return next();
      const cookies = req.headers.cookie;
      req.secret = secrets[0];
      req.cookies = Object.create(null);
      req.signedCookies = Object.create(null);
      if (!cookies) return next();
      req.cookies = parse(cookies, options);
      if (secrets.length !== 0) {
        req.signedCookies = signedCookies(req.cookies, secrets);
        req.signedCookies = JSONCookies(req.signedCookies);
      }
      req.cookies = JSONCookies(req.cookies);
      next();
    };
    mw.__flx_clone = () => ['cookie-parser', [secret, options]];
    return mw;
  }
  native.revivers['cookie-parser'] = ([secret, options]) => cookieParser(secret, options);
  Object.assign(cookieParser, { JSONCookie, JSONCookies, signedCookie, signedCookies,
    __sign: sign, __serialize: serialize, __parse: parse });
  module.exports = cookieParser;
});
