// express.js — Express 4 and 5 for flx: the application, Router and Route,
// the request and response additions, express.json/urlencoded/raw/text/
// static, and the default 404 and error answers, worded as Express's.
//
// On flx an app is built once, by main, and every worker serves requests:
// when the app first crosses (at listen) it is published — its settings,
// locals and the log of the calls that configured it — and each worker
// rebuilds it by replaying that log. Handlers that are fluxions cross as
// placeholders; `next` crosses as a call back to the worker whose router
// holds the request's place in the stack, carrying req and res so that what
// a handler elsewhere set (req.body, res.locals) is seen by what follows.
(function (module, exports, native) {
  'use strict';
  const http = require('http');
  const fs = require('fs');
  const pathMod = require('path');
  const querystring = require('querystring');
  const bodyParser = require('body-parser');
  const mime = native.require('internal_mime');
  const EventEmitter = require('events');

  // ---- which Express: the app's package.json says ----------------------------------
  function detectVersion() {
    let dir = typeof __dirname === 'string' ? __dirname : '.';
    for (let i = 0; i < 20; i++) {
      try {
        const pkg = JSON.parse(fs.readFileSync(pathMod.join(dir, 'node_modules/express/package.json'), 'utf8'));
        return parseInt(pkg.version, 10) || 4;
      } catch (e) { /* not installed here */ }
      try {
        const pkg = JSON.parse(fs.readFileSync(pathMod.join(dir, 'package.json'), 'utf8'));
        const want = (pkg.dependencies && pkg.dependencies.express) || (pkg.devDependencies && pkg.devDependencies.express);
        if (want) { const m = /(\d+)/.exec(want); return m ? Number(m[1]) : 4; }
      } catch (e) { /* none here */ }
      const up = pathMod.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return 4;
  }
  const VERSION = detectVersion();
  const V5 = VERSION >= 5;

  const METHODS = ['get', 'post', 'put', 'head', 'delete', 'options', 'trace', 'copy', 'lock',
    'mkcol', 'move', 'purge', 'propfind', 'proppatch', 'unlock', 'report', 'mkactivity',
    'checkout', 'merge', 'm-search', 'notify', 'subscribe', 'unsubscribe', 'patch', 'search',
    'connect'];

  const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) =>
    ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const encodeUrl = (s) => String(s)
    .replace(/(?:[^\x21\x23-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]|%(?![0-9A-Fa-f]{2}))+/g, (m) => {
      try { return encodeURI(m); } catch (e) { return m.replace(/[\uD800-\uDFFF]/g, '\uFFFD'); }
    });
  const flatten = (args) => args.reduce((all, a) => all.concat(Array.isArray(a) ? flatten(a) : [a]), []);

  // ---- paths: path-to-regexp 0.1 (Express 4) and 8 (Express 5) ----------------------
  const GROUP = /\\.|\((?:\?<(.*?)>)?(?!\?)/g;

  function regexpV4(path, keys, options) {
    const strict = options.strict, end = options.end !== false;
    const flags = options.sensitive ? '' : 'i';
    let extra = 0, i = 0, name = 0, pos = 0, backtrack = '', m;
    const keysOffset = keys.length;
    if (path instanceof RegExp) {
      GROUP.lastIndex = 0;
      while ((m = GROUP.exec(path.source))) {
        if (m[0][0] === '\\') continue;
        keys.push({ name: m[1] || name++, optional: false, offset: m.index });
      }
      return path;
    }
    if (Array.isArray(path))
      return new RegExp(path.map((p) => regexpV4(p, keys, options).source).join('|'), flags);
    if (typeof path !== 'string')
      throw new TypeError('path must be a string, array of strings, or regular expression');
    path = path.replace(/\\.|(\/)?(\.)?:(\w+)(\(.*?\))?(\*)?(\?)?|[.*]|\/\(/g,
      (match, slash, format, key, capture, star, optional, offset) => {
        if (match[0] === '\\') { backtrack += match; pos += 2; return match; }
        if (match === '.') { backtrack += '\\.'; extra += 1; pos += 1; return '\\.'; }
        if (slash || format) backtrack = '';
        else backtrack += path.slice(pos, offset);
        pos = offset + match.length;
        if (match === '*') { extra += 3; return '(.*)'; }
        if (match === '/(') { backtrack += '/'; extra += 2; return '/(?:'; }
        slash = slash || '';
        format = format ? '\\.' : '';
        optional = optional || '';
        capture = capture
          ? capture.replace(/\\.|\*/, (c) => (c === '*' ? '(.*)' : c))
          : (backtrack ? '((?:(?!/|' + backtrack + ').)+?)' : '([^/' + format + ']+?)');
        keys.push({ name: key, optional: !!optional, offset: offset + extra });
        const result = '(?:' + format + slash + capture +
          (star ? '((?:[/' + format + '].+?)?)' : '') + ')' + optional;
        extra += result.length - match.length;
        return result;
      });
    GROUP.lastIndex = 0;
    while ((m = GROUP.exec(path))) {
      if (m[0][0] === '\\') continue;
      if (keysOffset + i === keys.length || keys[keysOffset + i].offset > m.index)
        keys.splice(keysOffset + i, 0, { name: name++, optional: false, offset: m.index });
      i++;
    }
    path += strict ? '' : path[path.length - 1] === '/' ? '?' : '/?';
    if (end) path += '$';
    else if (path[path.length - 1] !== '/') path += '(?=/|$)';
    return new RegExp('^' + path, flags);
  }

  // path-to-regexp 8: ":name", "*name" (a wildcard, its value an array of
  // segments), "{...}" optional; anything else is literal.
  function regexpV5(path, keys, options) {
    const flags = options.sensitive ? '' : 'i';
    if (path instanceof RegExp) {
      let m, n = 0;
      GROUP.lastIndex = 0;
      while ((m = GROUP.exec(path.source))) if (m[0][0] !== '\\') keys.push({ name: m[1] || n++ });
      return path;
    }
    if (Array.isArray(path))
      return new RegExp(path.map((p) => regexpV5(p, keys, options).source.replace(/^\^|\$$/g, '')).join('|'), flags);
    if (typeof path !== 'string') throw new TypeError('path must be a string, array of strings, or regular expression');
    // router 2 loosens a path that is not strict: its trailing slashes go
    // (a route for '/a/' answers '/a' too).
    if (!options.strict && path !== '/') path = path.replace(/\/+$/, '');
    let i = 0;
    const esc = (c) => c.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&');
    function seq(close) {
      let out = '';
      while (i < path.length) {
        const c = path[i];
        if (c === close) { i++; return out; }
        if (c === '{') { i++; out += '(?:' + seq('}') + ')?'; continue; }
        if (c === ':' || c === '*') {
          i++;
          let name = '';
          if (path[i] === '"') { i++; while (i < path.length && path[i] !== '"') name += path[i++]; i++; }
          else while (i < path.length && /[$\w]/.test(path[i])) name += path[i++];
          if (!name) throw new TypeError(`Missing parameter name at index ${i}: ${path}; visit https://git.new/pathToRegexpError for info`);
          keys.push({ name, wildcard: c === '*' });
          out += c === '*' ? '([\\s\\S]+)' : '([^\\/]+)';
          continue;
        }
        if (c === '\\') { out += esc(path[i + 1] || ''); i += 2; continue; }
        if ('()[]?+!'.includes(c)) throw new TypeError(`Unexpected ${c === '(' ? 'LPAREN' : c === ')' ? 'RPAREN' : c} at index ${i}, expected END: ${path}; visit https://git.new/pathToRegexpError for info`);
        out += esc(c);
        i++;
      }
      return out;
    }
    let src = seq(null);
    const end = options.end !== false;
    src = '^(?:' + src + ')' + (options.strict ? '' : '\\/?') + (end ? '$' : '(?=\\/|$)');
    return new RegExp(src, flags);
  }

  // ---- Layer ------------------------------------------------------------------------------
  function decodeParam(val) {
    if (typeof val !== 'string' || val.length === 0) return val;
    try { return decodeURIComponent(val); } catch (err) {
      if (err instanceof URIError) {
        err.message = "Failed to decode param '" + val + "'";
        err.status = err.statusCode = 400;
      }
      throw err;
    }
  }

  class Layer {
    constructor(path, options, fn) {
      this.handle = fn;
      this.name = fn.name || '<anonymous>';
      this.params = undefined;
      this.path = undefined;
      this.keys = [];
      this.regexp = (V5 ? regexpV5 : regexpV4)(path, this.keys, options);
      this.regexp.fast_star = path === '*' && !V5;
      this.regexp.fast_slash = path === '/' && options.end === false;
      // A path of its own, matched to its end, without parameters: a match
      // is the whole path, told by test(), which makes no array.
      this.whole = typeof path === 'string' && options.end !== false && this.keys.length === 0;
    }
    match(path) {
      let m;
      if (path != null) {
        if (this.regexp.fast_slash) { this.params = {}; this.path = ''; return true; }
        if (this.regexp.fast_star) { this.params = { 0: decodeParam(path) }; this.path = path; return true; }
        if (!this.whole) m = this.regexp.exec(path);
        else if (this.regexp.test(path)) { this.params = {}; this.path = path; return true; }
      }
      if (!m) { this.params = undefined; this.path = undefined; return false; }
      this.params = {};
      this.path = m[0];
      for (let i = 1; i < m.length; i++) {
        const key = this.keys[i - 1], val = decodeParam(m[i]);
        if (!key) continue;
        if (key.wildcard) { if (val !== undefined) this.params[key.name] = val.split('/'); }
        else if (val !== undefined || !Object.prototype.hasOwnProperty.call(this.params, key.name))
          this.params[key.name] = val;
      }
      return true;
    }
    arity() { return this.handle.length; }
    handleError(error, req, res, next) {
      if (this.arity() !== 4) return next(error);
      invoke(this.handle, [error, req, res, next], next);
    }
    handleRequest(req, res, next) {
      if (this.arity() > 3) return next();
      invoke(this.handle, [req, res, next], next);
    }
  }

  // Express 4 passes a synchronous throw to next; 5 a rejected promise too.
  function invoke(fn, args, next) {
    let ret;
    try {
      // (called, not applied: apply cost more, once per layer)
      ret = args.length === 3 ? fn(args[0], args[1], args[2]) : fn(args[0], args[1], args[2], args[3]);
    } catch (err) {
      return next(err);
    }
    if (V5 && ret && typeof ret.then === 'function')
      ret.then(null, (err) => next(err || new Error('Rejected promise')));
  }

  // A next() other workers can call: back to this worker, with req and res.
  // Marked as Express's next either way (a handler run here by reference
  // gets this very function): the host passes a handler's exception to it.
  // With resumable (the router's place, for an app's own router at the top),
  // a copy that has the request and response with it, and on which something
  // was put since they arrived (req.session = sessions[id]), goes on routing
  // where it is called, on that worker's copy of the app: that stays one
  // object for the handlers that follow. Otherwise it calls back, which costs
  // less (the router's worker has the request already).
  const NEXT_TAG = { next: true, v5: V5 };
  // (What a copy needs is kept on the function and read by one shared
  // __flx_clone: closures for it, per next and per request, cost more.)
  function crossable(next, req, res, resumable) {
    Object.setPrototypeOf(next, NEXT_PROTO);
    next.__flx_next = [req, res, resumable];
    return next;
  }
  function placeOf(next) {
    return next && next.__flx_clone === cloneNext ? next.__flx_next[2] : undefined;
  }
  function callBack(next) {
    const req = next.__flx_next[0], res = next.__flx_next[1];
    return native.remote(next, [req, res], req._flx && req._flx.h, NEXT_TAG);
  }
  function cloneNext() {
    const next = this, req = next.__flx_next[0], resumable = next.__flx_next[2];
    const back = callBack(next);
    const state = resumable && req._flx ? resumable() : undefined;
    if (!state) return back;
    return ['express.next', { state, h: req._flx.h.id(), back: back[1] }];
  }
  // To a handler that cannot read it (no third parameter), next crosses as
  // the call back alone: only the host calls it there, with the handler's
  // exception, and routing goes on where it was.
  function unreadNext() { return { next: this, __flx_clone: cloneCallBack }; }
  function cloneCallBack() { return callBack(this.next); }
  // What every such next has (one prototype: four properties set per next,
  // two per request, cost more than its prototype changed once).
  const NEXT_PROTO = Object.create(Function.prototype, {
    __flx_tag: { value: NEXT_TAG, writable: true, configurable: true },
    __flx_clone: { value: cloneNext, writable: true, configurable: true },
    __flx_unread: { value: unreadNext, writable: true, configurable: true } });
  native.revivers['express.next'] = (d, session) => {
    let resumed = null, back = null;
    const fallback = (err) => (back || (back = native.revivers['flx.remote'](d.back)))(err);
    const next = function (err) {
      const pair = session['http:' + d.h];
      if (!resumed && !(pair && pair.req && pair.res &&
                        (http.__changedHere(pair.req) || http.__changedHere(pair.res))))
        return fallback(err);   // nothing new here: the router's worker goes on, as cheaper
      if (!resumed) {
        const at = resumeAt(d.state, pair.req, pair.res);
        if (!at || !at.next) return fallback(err);   // this worker's app is not laid out the same
        resumed = at.next;
      }
      return resumed(err);
    };
    next.__flx_tag = NEXT_TAG;
    return next;
  };
  // The router a place is in, and its next there (not called): the app's
  // router at the top; a router inside another is the handle of the layer
  // its parent was at, a route (several handlers on one path) that layer's
  // route.
  function resumeAt(place, req, res) {
    if (!place.parent) {
      const app = appById(place.app);
      app.lazyrouter();
      return { router: app._router, next: app._router.handle(req, res, finalOf(app, req, res), place) };
    }
    const up = resumeAt(place.parent, req, res);
    const layer = up && up.router && up.router.stack[place.parent.idx - 1];
    if (!layer) return null;
    if (place.route)
      return layer.route ? { router: null, next: layer.route.dispatch(req, res, up.next, place) } : null;
    if (!layer.handle || !Array.isArray(layer.handle.stack)) return null;
    return { router: layer.handle, next: layer.handle.handle(req, res, up.next, place) };
  }

  // ---- Route ----------------------------------------------------------------------------
  class Route {
    constructor(path) {
      this.path = path;
      this.stack = [];
      this.methods = {};
      this._log = [];
    }
    _handles_method(method) {
      if (this.methods._all) return true;
      let name = typeof method === 'string' ? method.toLowerCase() : method;
      if (name === 'head' && !this.methods.head) name = 'get';
      return Boolean(this.methods[name]);
    }
    _options() {
      const methods = Object.keys(this.methods);
      if (this.methods.get && !this.methods.head) methods.push('head');
      return methods.filter((m) => m !== '_all').map((m) => m.toUpperCase());
    }
    // resume: a place of this route's (see crossable); its next is returned.
    dispatch(req, res, done, resume) {
      let idx = resume ? resume.idx : 0, sync = 0;
      const stack = this.stack;
      if (stack.length === 0 && !resume) return done();
      let method = typeof req.method === 'string' ? req.method.toLowerCase() : req.method;
      if (method === 'head' && !this.methods.head) method = 'get';
      req.route = this;
      const parentPlace = placeOf(done);
      const next = crossable(function next(err) {
        if (err && err === 'route') return done();
        if (err && err === 'router') return done(err);
        if (idx >= stack.length) return done(err);
        if (++sync > 100) return setImmediate(next, err);
        let layer;
        while (idx < stack.length) {
          layer = stack[idx++];
          if (!layer.method || layer.method === method) break;
          layer = null;
        }
        if (!layer) return done(err);
        if (err) layer.handleError(err, req, res, next);
        else layer.handleRequest(req, res, next);
        sync = 0;
      }, req, res, parentPlace && (() => {
        const parent = parentPlace();
        return parent && { route: true, parent, idx };
      }));
      if (resume) return next;
      next();
    }
    all(...handlers) {
      this._log.push(['all', handlers]);
      for (const h of flatten(handlers)) {
        if (typeof h !== 'function')
          throw new TypeError('Route.all() requires a callback function but got a ' + Object.prototype.toString.call(h));
        const layer = new Layer('/', {}, h);
        layer.method = undefined;
        this.methods._all = true;
        this.stack.push(layer);
      }
      return this;
    }
    // req.route: a route of a published app crosses as where it is in the
    // app (every worker has the app, rebuilt the same); another (a mounted
    // sub-app's) as what a handler reads of it, its path and methods.
    __flx_clone() {
      if (this._flxAt) return ['express.routeAt', this._flxAt];
      return ['express.route', { path: this.path, methods: this.methods }];
    }
  }
  for (const method of METHODS) {
    Route.prototype[method] = function (...handlers) {
      this._log.push([method, handlers]);
      for (const h of flatten(handlers)) {
        if (typeof h !== 'function')
          throw new Error('Route.' + method + '() requires a callback function but got a ' + Object.prototype.toString.call(h));
        const layer = new Layer('/', {}, h);
        layer.method = method;
        this.methods[method] = true;
        this.stack.push(layer);
      }
      return this;
    };
  }
  native.revivers['express.route'] = (d) => Object.assign(new Route(d.path), { methods: d.methods });
  native.revivers['express.routeAt'] = ([id, ...at]) => {
    let router = appById(id)._router;
    for (let i = 0; i < at.length - 1; i++) router = router.stack[at[i]].handle;
    return router.stack[at[at.length - 1]].route;
  };
  // Where each route of a router is, as stack indices from the app's router
  // (routers used in it included).
  function locateRoutes(router, at) {
    router.stack.forEach((layer, i) => {
      if (layer.route) Object.defineProperty(layer.route, '_flxAt', { value: [...at, i], configurable: true });
      else if (layer.handle && Object.getPrototypeOf(layer.handle) === routerProto) locateRoutes(layer.handle, [...at, i]);
    });
  }

  // ---- Router -------------------------------------------------------------------------------
  const routerProto = Object.create(Function.prototype);

  function Router(options) {
    const opts = options || {};
    function router(req, res, next) { router.handle(req, res, next); }
    Object.setPrototypeOf(router, routerProto);
    router.params = {};
    router._params = [];
    router.caseSensitive = opts.caseSensitive;
    router.mergeParams = opts.mergeParams;
    router.strict = opts.strict;
    router.stack = [];
    router._opts = { caseSensitive: opts.caseSensitive, mergeParams: opts.mergeParams, strict: opts.strict };
    router._log = [];
    return router;
  }

  routerProto.param = function (name, fn) {
    this._log.push(['param', [name, fn]]);
    if (typeof name === 'function') { this._params.push(name); return this; }
    if (typeof fn !== 'function') throw new Error('invalid param() call for ' + name + ', got ' + fn);
    if (V5 && name[0] === ':') throw new TypeError('Parameter names must not start with ":"');
    name = !V5 && name[0] === ':' ? name.slice(1) : name;
    (this.params[name] = this.params[name] || []).push(fn);
    return this;
  };

  // The request's query string, parsed by parse ({} without one).
  function queryOf(req, parse) {
    if (!parse) return {};
    const url = req.url || '', q = url.indexOf('?');
    return parse(q < 0 ? '' : url.slice(q + 1));
  }

  // (A regular expression literal makes an object each time it is
  // evaluated: the ones used per request are made once, here.)
  const ABSOLUTE_URL = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/;
  const PROTOHOST = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/;
  function getPathname(req) {
    const url = req.url || '';
    const q = url.indexOf('?');
    const p = q < 0 ? url : url.slice(0, q);
    if (p[0] === '/') return p;
    const m = ABSOLUTE_URL.exec(p);
    return m ? p.slice(m[0].length) || '/' : p;
  }

  // 'http://host' of an absolute request URL, '' for a path.
  function protohostOf(url) {
    if (url[0] === '/') return '';
    const m = PROTOHOST.exec(url);
    return m ? m[0] : '';
  }

  // top: an app's own router, handling a request for the server (its done
  // is the final handler), whose place can be taken to another worker.
  // resume: such a place; the router's next is returned, not called.
  routerProto.handle = function (req, res, out, resume, top) {
    const self = this, stack = this.stack, at = resume || {};
    const options = at.options || [];
    let idx = at.idx || 0, removed = at.removed || '', slashAdded = !!at.slashAdded, sync = 0;
    const paramcalled = at.paramcalled || {};
    const protohost = resume ? at.protohost : protohostOf(req.url || '');
    const parentParams = resume ? at.parentParams : req.params;
    const parentUrl = resume ? at.parentUrl : req.baseUrl || '';
    const saved = resume ? { baseUrl: at.savedBaseUrl, next: undefined, params: at.savedParams }
                         : { baseUrl: req.baseUrl, next: req.next, params: req.params };
    // Where this run is, for a copy of its next to go on from (crossable):
    // an app's router at the top, or a router used inside one such (its
    // parent's next knows the parent's place).
    const topApp = self._app && self._app._flxId >= 0 && (top || (resume && !at.parent))
      ? self._app : null;
    const parentPlace = topApp ? undefined : placeOf(out);
    const place = topApp || parentPlace ? () => {
      const parent = parentPlace ? parentPlace() : undefined;
      if (parentPlace && !parent) return undefined;
      return { app: topApp ? topApp._flxId : undefined, parent, idx, removed, slashAdded,
        protohost, parentParams, parentUrl, savedBaseUrl: saved.baseUrl, savedParams: saved.params,
        options, paramcalled };
    } : undefined;
    let done = function (err) {
      req.baseUrl = saved.baseUrl; req.next = saved.next; req.params = saved.params;
      out(err);
    };
    if (req.method === 'OPTIONS') {
      const old = done;
      done = function (err) {
        if (err || options.length === 0) return old(err);
        if (!V5) {
          const body = options.join(',');
          res.set('Allow', body);
          res.send(body);
          return;
        }
        // router 2 (Express 5): the methods once each, sorted, as plain text
        const body = [...new Set(options)].sort().join(', ');
        res.setHeader('Allow', body);
        res.setHeader('Content-Length', Buffer.byteLength(body));
        res.setHeader('Content-Type', 'text/plain');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.end(body);
      };
    }
    if (!resume) {
      req.baseUrl = parentUrl;
      req.originalUrl = req.originalUrl || req.url;
    }

    const next = crossable(function next(err) {
      let layerError = err === 'route' ? null : err;
      if (slashAdded) { req.url = req.url.slice(1); slashAdded = false; }
      if (removed.length !== 0) {
        req.baseUrl = parentUrl;
        req.url = protohost + removed + req.url.slice(protohost.length);
        removed = '';
      }
      if (layerError === 'router') { setImmediate(done, null); return; }
      if (idx >= stack.length) { setImmediate(done, layerError); return; }
      if (++sync > 100) return setImmediate(next, err);
      const path = getPathname(req);
      let layer, match, route;
      while (match !== true && idx < stack.length) {
        layer = stack[idx++];
        try { match = layer.match(path); } catch (e) { match = e; }
        route = layer.route;
        if (typeof match !== 'boolean') layerError = layerError || match;
        if (match !== true) continue;
        if (!route) continue;
        if (layerError) { match = false; continue; }
        const method = req.method, has = route._handles_method(method);
        if (!has && method === 'OPTIONS')
          for (const m of route._options()) if (!options.includes(m)) options.push(m);
        if (!has && method !== 'HEAD') match = false;
      }
      if (match !== true) return done(layerError);
      if (route) req.route = route;
      req.params = self.mergeParams ? Object.assign({}, parentParams, layer.params) : layer.params;
      const layerPath = layer.path;
      // Most layers have no parameters: no callback to make for them.
      if (layer.keys.length === 0) enter(layer, route, layerError, layerPath, path);
      else inParams(layer, route, layerError, layerPath, path);
      sync = 0;
    }, req, res, place);
    req.next = next;

    // The app.param callbacks of the layer's parameters, then the layer. A
    // copy of their next (app.param('id', ...) in a group, putting
    // req.user = users[id]) has this router's place and where in them it is.
    // With start, from there: the callback to go on with is returned.
    function inParams(layer, route, layerError, layerPath, path, start) {
      const here = place && ((i, paramIndex) => {
        const p = place();
        return p && Object.assign(p, { param: { i, paramIndex, layerError } });
      });
      return processParams(self.params, layer.keys, paramcalled, req, res, (perr) => {
        if (perr) next(layerError || perr);
        else enter(layer, route, layerError, layerPath, path);
      }, here, start);
    }
    function resumeParams({ i, paramIndex, layerError }) {
      const layer = stack[idx - 1], path = getPathname(req);
      if (!layer || layer.match(path) !== true || layer.keys.length < i) return null;
      return inParams(layer, layer.route, layerError, layer.path, path, { i, paramIndex });
    }

    function enter(layer, route, layerError, layerPath, path) {
      if (route) return layer.handleRequest(req, res, next);
      if (layerPath.length !== 0) {
        if (layerPath !== path.slice(0, layerPath.length)) return next(layerError);
        const c = path[layerPath.length];
        if (c && c !== '/' && c !== '.') return next(layerError);
        removed = layerPath;
        req.url = protohost + req.url.slice(protohost.length + removed.length);
        if (!protohost && req.url[0] !== '/') { req.url = '/' + req.url; slashAdded = true; }
        req.baseUrl = parentUrl + (removed[removed.length - 1] === '/' ? removed.slice(0, -1) : removed);
      }
      if (layerError) layer.handleError(layerError, req, res, next);
      else layer.handleRequest(req, res, next);
    }
    if (resume) return at.param ? resumeParams(at.param) : next;
    next();
  };

  // The app.param callbacks of a layer's parameters, each once per request
  // and value, in order; then done.
  // here(i, paramIndex): the place of a copy of a callback's next; start:
  // where a copy was called, the callback it goes on with returned.
  function processParams(params, keys, called, req, res, done, here, start) {
    let i = 0, name, paramIndex = 0, key, paramVal, paramCallbacks, paramCalled;
    const place = here && (() => here(i, paramIndex));
    function param(err) {
      if (err) return done(err);
      if (i >= keys.length) return done();
      paramIndex = 0;
      key = keys[i++];
      name = key.name;
      paramVal = req.params[name];
      paramCallbacks = params[name];
      paramCalled = called[name];
      if (paramVal === undefined || !paramCallbacks) return param();
      if (paramCalled && (paramCalled.match === paramVal || (paramCalled.error && paramCalled.error !== 'route'))) {
        req.params[name] = paramCalled.value;
        return param(paramCalled.error);
      }
      called[name] = paramCalled = { error: null, match: paramVal, value: paramVal };
      paramCallback();
    }
    function paramCallback(err) {
      const fn = paramCallbacks[paramIndex++];
      paramCalled.value = req.params[key.name];
      if (err) { paramCalled.error = err; param(err); return; }
      if (!fn) return param();
      try {
        const ret = fn(req, res, crossable(paramCallback, req, res, place), paramVal, key.name);
        if (V5 && ret && typeof ret.then === 'function') ret.then(null, (e) => paramCallback(e || new Error('Rejected promise')));
      } catch (e) { paramCallback(e); }
    }
    if (!start) return param();
    ({ i, paramIndex } = start);
    key = keys[i - 1];
    name = key.name;
    paramVal = req.params[name];
    paramCallbacks = params[name];
    paramCalled = called[name];
    return paramCallbacks && paramCalled ? paramCallback : null;
  }

  // use([path,] ...fns): the path, if the first argument is one, and the functions.
  function useArgs(args) {
    let arg = args[0];
    while (Array.isArray(arg) && arg.length !== 0) arg = arg[0];
    const hasPath = typeof args[0] !== 'function' && typeof arg !== 'function';
    return { path: hasPath ? args[0] : '/', fns: flatten(args.slice(hasPath ? 1 : 0)) };
  }

  routerProto.use = function (...args) {
    this._log.push(['use', args]);
    const { path, fns: callbacks } = useArgs(args);
    if (callbacks.length === 0) throw new TypeError('Router.use() requires a middleware function');
    for (const cb of callbacks) {
      if (typeof cb !== 'function')
        throw new TypeError('Router.use() requires a middleware function but got a ' + Object.prototype.toString.call(cb));
      const layer = new Layer(path, { sensitive: this.caseSensitive, strict: false, end: false }, cb);
      layer.route = undefined;
      this.stack.push(layer);
    }
    return this;
  };

  routerProto.route = function (path) {
    const route = new Route(path);
    this._log.push(['route', [path, route._log]]);   // the route's calls, as they come
    const layer = new Layer(path, { sensitive: this.caseSensitive, strict: this.strict, end: true },
      function handle(req, res, next) { route.dispatch(req, res, next); });
    layer.route = route;
    this.stack.push(layer);
    return route;
  };

  for (const method of METHODS.concat('all')) {
    routerProto[method] = function (path, ...handlers) {
      const route = this.route(path);
      route[method](...handlers);
      return this;
    };
  }

  // Rebuilt elsewhere by replaying the calls that made it.
  function replay(target, log) {
    for (const [method, args] of log) {
      if (method === 'route') {
        const route = target.route(args[0]);
        for (const [m, hs] of args[1]) route[m](...hs);
      } else {
        target[method](...args);
      }
    }
  }
  // How the application's own function fn crosses, out of its sight (not
  // enumerable).
  function describe(fn, how) {
    Object.defineProperty(fn, '__flx_clone', { value: how, configurable: true, writable: true });
  }
  function describeHandlers(log) {
    // A closure left in main cannot be rebuilt: it is called where it lives.
    // A view engine is made on each worker (native.portable): it must call
    // back the render that asked, there.
    for (const [method, args] of log)
      for (const a of flatten(args))
        if (typeof a === 'function' && a.__flx_clone === undefined)
          describe(a, method === 'engine' ? () => native.portable(a) : () => native.remote(a));
    return log;
  }
  routerProto.__flx_clone = function () {
    return ['express.router', { opts: this._opts, log: describeHandlers(this._log) }];
  };
  native.revivers['express.router'] = (d) => {
    const r = Router(d.opts);
    replay(r, d.log);
    return r;
  };

  const qsParse = native.require('internal_qs').parse;

  // ---- the request ------------------------------------------------------------------------
  const request = Object.create(http.IncomingMessage.prototype);

  request.get = request.header = function (name) {
    if (!name) throw new TypeError('name argument is required to req.get');
    if (typeof name !== 'string') throw new TypeError('name must be a string to req.get');
    const lc = name.toLowerCase();
    if (lc === 'referer' || lc === 'referrer') return this.headers.referrer || this.headers.referer;
    return this.headers[lc];
  };
  function parseAccept(header) {
    return String(header || '*/*').split(',').map((part, i) => {
      const [type, ...params] = part.trim().split(';');
      let q = 1;
      for (const p of params) { const [k, v] = p.trim().split('='); if (k === 'q') q = parseFloat(v); }
      return { type: type.trim().toLowerCase(), q, i };
    }).filter((a) => a.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  }
  function acceptMatch(pattern, type) {
    const [pt, ps] = pattern.split('/'), [tt, ts] = type.split('/');
    return (pt === '*' || pt === tt) && (ps === '*' || ps === ts || ps === undefined);
  }
  request.accepts = function (...types) {
    types = flatten(types);
    const accepted = parseAccept(this.headers.accept);
    if (types.length === 0) return accepted.map((a) => a.type);
    const full = types.map((t) => (t.indexOf('/') === -1 ? mime.lookup(t) : t));
    if (!this.headers.accept) return types[0];
    for (const a of accepted)
      for (let i = 0; i < full.length; i++)
        if (full[i] && acceptMatch(a.type, full[i])) return types[i];
    return false;
  };
  // Accept-Charset, Accept-Encoding and Accept-Language, as the negotiator
  // package reads them for the accepts package: each accepted value with its
  // q and place; a provided value takes the best of those it matches (most
  // specific, then highest q, then first), and the provided ones come out by
  // q, specificity, place in the header, then their own order.
  const LANGUAGE = /^\s*([^\s\-;]+)(?:-([^\s;]+))?\s*(?:;(.*))?$/;
  const TOKEN = /^\s*([^\s;]+)\s*(?:;(.*))?$/;
  function quality(params) {
    let q = 1;
    for (const p of (params || '').split(';')) {
      const kv = p.trim().split('=');
      if (kv[0] === 'q') { q = parseFloat(kv[1]); break; }
    }
    return q;
  }
  function parseLanguage(str, i) {
    const m = LANGUAGE.exec(str);
    if (!m) return null;
    const full = m[2] ? m[1] + '-' + m[2] : m[1];
    return { value: m[1], prefix: m[1], suffix: m[2], full, q: quality(m[3]), i };
  }
  // A charset or an encoding: one token, matched whole or by '*'.
  const token = {
    parse: (str, i) => { const m = TOKEN.exec(str); return m && { value: m[1], full: m[1], q: quality(m[2]), i }; },
    specify: (v, spec) => (spec.value.toLowerCase() === v.toLowerCase() ? 1 : spec.value === '*' ? 0 : null),
  };
  const NEGOTIATE = {
    charset: Object.assign({ header: 'accept-charset', absent: '*' }, token),
    encoding: Object.assign({ header: 'accept-encoding', absent: '' }, token),
    language: {
      header: 'accept-language', absent: '*',
      parse: parseLanguage,
      specify: (v, spec) => {
        const p = parseLanguage(v);
        if (!p) return null;
        if (spec.full.toLowerCase() === p.full.toLowerCase()) return 4;
        if (spec.prefix.toLowerCase() === p.full.toLowerCase()) return 2;
        if (spec.full.toLowerCase() === p.prefix.toLowerCase()) return 1;
        return spec.full === '*' ? 0 : null;
      },
    },
  };
  function accepted(kind, header) {
    const k = NEGOTIATE[kind], parts = (header === undefined ? k.absent : header).split(',');
    const list = [];
    parts.forEach((part, i) => { const a = k.parse(part.trim(), i); if (a) list.push(a); });
    if (kind === 'encoding' && !list.some((a) => k.specify('identity', a) !== null))   // identity, unless refused
      list.push({ value: 'identity', full: 'identity', q: Math.min(1, ...list.map((a) => a.q || 1)), i: parts.length });
    return list;
  }
  const bySpec = (a, b) => b.q - a.q || b.s - a.s || a.o - b.o || a.i - b.i || 0;
  function negotiate(req, kind, provided) {
    const list = accepted(kind, req.headers[NEGOTIATE[kind].header]);
    if (provided.length === 0)
      return list.filter((a) => a.q > 0).map((a) => ({ q: a.q, s: 0, o: a.i, i: 0, v: a.full })).sort(bySpec).map((a) => a.v);
    const best = provided.map((v, i) => {
      let top = { o: -1, q: 0, s: 0, i };
      for (const spec of list) {
        const s = NEGOTIATE[kind].specify(v, spec);
        if (s !== null && (top.s - s || top.q - spec.q || top.o - spec.i) < 0) top = { o: spec.i, q: spec.q, s, i };
      }
      return top;
    });
    const chosen = best.filter((p) => p.q > 0).sort(bySpec);
    return chosen.length ? provided[chosen[0].i] : false;
  }
  request.acceptsEncodings = function (...e) { return negotiate(this, 'encoding', flatten(e)); };
  request.acceptsCharsets = function (...c) { return negotiate(this, 'charset', flatten(c)); };
  request.acceptsLanguages = function (...l) { return negotiate(this, 'language', flatten(l)); };
  // The Range header against a resource of size bytes, as range-parser reads
  // it: the ranges ({ start, end }, with .type), -1 if none is satisfiable,
  // -2 if the header is malformed; undefined without one.
  request.range = function (size, options) {
    const header = this.get('Range');
    if (!header) return undefined;
    const eq = header.indexOf('=');
    if (eq === -1) return -2;
    const ranges = [];
    ranges.type = header.slice(0, eq);
    for (const piece of header.slice(eq + 1).split(',')) {
      const bounds = piece.split('-');
      let start = parseInt(bounds[0], 10), end = parseInt(bounds[1], 10);
      if (isNaN(start)) { start = size - end; end = size - 1; }   // -N: the last N
      else if (isNaN(end)) end = size - 1;                        // N-: to the end
      if (end > size - 1) end = size - 1;
      if (isNaN(start) || isNaN(end) || start > end || start < 0) continue;
      ranges.push({ start, end });
    }
    if (ranges.length === 0) return -1;
    return options && options.combine ? combineRanges(ranges) : ranges;
  };
  // Overlapping and adjacent ranges as one, in the order they were asked.
  function combineRanges(ranges) {
    const ordered = ranges.map((r, index) => ({ start: r.start, end: r.end, index })).sort((a, b) => a.start - b.start);
    let j = 0;
    for (let i = 1; i < ordered.length; i++) {
      const r = ordered[i], cur = ordered[j];
      if (r.start > cur.end + 1) ordered[++j] = r;
      else if (r.end > cur.end) { cur.end = r.end; cur.index = Math.min(cur.index, r.index); }
    }
    ordered.length = j + 1;
    const combined = ordered.sort((a, b) => a.index - b.index).map((r) => ({ start: r.start, end: r.end }));
    combined.type = ranges.type;
    return combined;
  }
  request.is = function (...types) {
    types = flatten(types);
    const ct = this.headers['content-type'];
    if (!ct || !hasBody(this)) return ct === undefined && !hasBody(this) ? null : false;
    const actual = ct.split(';')[0].trim().toLowerCase();
    if (types.length === 0) return actual;
    for (const t of types) {
      const want = t === 'urlencoded' ? 'application/x-www-form-urlencoded'
        : t === 'multipart' ? 'multipart/*'
        : t[0] === '+' ? '*/*' + t
        : t.indexOf('/') === -1 ? mime.lookup(t) : t;
      if (!want) continue;
      const [ws, wsub] = want.split('/'), [as, asub] = actual.split('/');
      if ((ws === '*' || ws === as) && (wsub === '*' || wsub === asub ||
          (wsub.startsWith('*+') && asub.endsWith(wsub.slice(1))))) return t.indexOf('/') === -1 && t[0] !== '+' ? t : actual;
    }
    return false;
  };
  function hasBody(req) {
    return req.headers['transfer-encoding'] !== undefined || !isNaN(req.headers['content-length']) && req.headers['content-length'] !== undefined;
  }
  function define(obj, name, get) { Object.defineProperty(obj, name, { configurable: true, enumerable: true, get }); }
  define(request, 'protocol', function () {
    const trust = this.app.get('trust proxy fn');
    const proto = this.socket.encrypted ? 'https' : 'http';
    if (!trust(this.socket.remoteAddress, 0)) return proto;
    const header = this.headers['x-forwarded-proto'] || proto;
    return header.split(',')[0].trim();
  });
  define(request, 'secure', function () { return this.protocol === 'https'; });
  define(request, 'ip', function () {
    const chain = forwardedChain(this, this.app.get('trust proxy fn'));
    return chain[chain.length - 1];
  });
  define(request, 'ips', function () {
    const chain = forwardedChain(this, this.app.get('trust proxy fn'));
    return chain.slice(1).reverse();
  });
  define(request, 'subdomains', function () {
    const host = this.hostname;
    if (!host) return [];
    const offset = this.app.get('subdomain offset');
    const subs = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? [host] : host.split('.').reverse();
    return subs.slice(offset);
  });
  define(request, 'path', function () { return getPathname(this); });
  define(request, V5 ? 'host' : 'hostname', function () {
    let host = this.headers['x-forwarded-host'];
    const trust = this.app.get('trust proxy fn');
    if (!host || !trust(this.socket.remoteAddress, 0)) host = this.headers.host;
    else if (host.indexOf(',') !== -1) host = host.slice(0, host.indexOf(',')).trimEnd();
    if (!host) return undefined;
    if (V5) return host;
    const offset = host[0] === '[' ? host.indexOf(']') + 1 : 0;
    const colon = host.indexOf(':', offset);
    return colon !== -1 ? host.slice(0, colon) : host;
  });
  if (V5) {
    define(request, 'hostname', function () {
      const host = this.host;
      if (!host) return undefined;
      const offset = host[0] === '[' ? host.indexOf(']') + 1 : 0;
      const colon = host.indexOf(':', offset);
      return colon !== -1 ? host.slice(0, colon) : host;
    });
    define(request, 'query', function () {
      return queryOf(this, this.app.get('query parser fn'));
    });
  } else {
    define(request, 'host', function () { return this.hostname; });
    request.param = function (name, def) {
      const params = this.params || {}, body = this.body || {}, query = this.query || {};
      if (params[name] != null && Object.prototype.hasOwnProperty.call(params, name)) return params[name];
      if (body[name] != null) return body[name];
      if (query[name] != null) return query[name];
      return def;
    };
  }
  define(request, 'fresh', function () {
    const method = this.method, res = this.res, status = res.statusCode;
    if (method !== 'GET' && method !== 'HEAD') return false;
    if ((status >= 200 && status < 300) || status === 304) {
      const noneMatch = this.headers['if-none-match'], etag = res.get('ETag');
      if (!noneMatch) return false;
      if (/(?:^|,)\s*?no-cache\s*?(?:,|$)/.test(this.headers['cache-control'] || '')) return false;
      if (noneMatch === '*') return true;
      if (!etag) return false;
      return noneMatch.split(',').map((s) => s.trim()).some((m) => m === etag || m === 'W/' + etag || 'W/' + m === etag);
    }
    return false;
  });
  define(request, 'stale', function () { return !this.fresh; });
  define(request, 'xhr', function () { return (this.headers['x-requested-with'] || '').toLowerCase() === 'xmlhttprequest'; });

  // ---- the response -------------------------------------------------------------------------
  const response = Object.create(http.ServerResponse.prototype);
  const STATUS = http.STATUS_CODES;

  response.status = function (code) {
    if (V5 && (!Number.isInteger(code) || code < 100 || code > 999)) {
      const e = new RangeError(`Invalid status code: ${JSON.stringify(code)}. Status code must be an integer between 100 and 999.`);
      e.code = 'ERR_HTTP_INVALID_STATUS_CODE';
      throw e;
    }
    this.statusCode = code;
    return this;
  };
  response.links = function (links) {
    let link = this.get('Link') || '';
    if (link) link += ', ';
    return this.set('Link', link + Object.keys(links).map((rel) => '<' + links[rel] + '>; rel="' + rel + '"').join(', '));
  };
  const CHARSET_PARAM = /^charset=/i, HAS_CHARSET = /;\s*charset\s*=/;
  function setCharset(type, charset) {
    // (res.send's usual case, 'text/html; charset=utf-8', without a regex)
    const tail = '; charset=' + charset, semi = type.indexOf(';');
    if (semi === type.length - tail.length && type.endsWith(tail) && type.charCodeAt(0) > 32 &&
        type.charCodeAt(semi - 1) > 32)
      return type;
    const parts = type.split(';'), out = [parts[0].trim()];
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i].trim();
      if (!CHARSET_PARAM.test(p)) out.push(p);
    }
    out.push('charset=' + charset);
    return out.join('; ');
  }
  // The etag package's weak ETag (W/"length-sha1 base64"), computed natively.
  function etagOf(body, encoding) {
    if (typeof body === 'string' && encoding && encoding !== 'utf8' && encoding !== 'utf-8')
      body = Buffer.from(body, encoding);
    return native.crypto.etag(body);
  }
  // Express makes a string body a Buffer here, for the ETag and the length;
  // only end() and an app's own 'etag fn' would see which it is, and the
  // host's end() takes the string as well: with those two as they come, a
  // short body's Buffer is not made. (A long one is: the string is then read
  // three times, by the length, the ETag and end(), each a pass over it that
  // costs more than the Buffer.)
  const plainEnd = http.ServerResponse.prototype.end;
  response.send = function (body, ...rest) {
    let chunk = body, encoding;
    const req = this.req, app = this.app;
    if (!V5 && rest.length === 1) {
      if (typeof body !== 'number' && typeof rest[0] === 'number') this.statusCode = rest[0];
      else { this.statusCode = body; chunk = rest[0]; }
    }
    if (!V5 && typeof chunk === 'number' && rest.length === 0) {
      if (!this.get('Content-Type')) this.type('txt');
      this.statusCode = chunk;
      chunk = STATUS[chunk];
    }
    switch (typeof chunk) {
      case 'string':
        if (!this.get('Content-Type')) this.type('html');
        break;
      case 'boolean': case 'number': case 'object':
        if (chunk === null) chunk = '';
        else if (ArrayBuffer.isView(chunk)) { if (!this.get('Content-Type')) this.type('bin'); }
        else return this.json(chunk);
        break;
    }
    if (typeof chunk === 'string') {
      encoding = 'utf8';
      const type = this.get('Content-Type');
      if (typeof type === 'string') this.set('Content-Type', setCharset(type, 'utf-8'));
    }
    const etagFn = app.get('etag fn');
    const generateETag = !this.get('ETag') && typeof etagFn === 'function';
    let len;
    if (chunk !== undefined) {
      if (ArrayBuffer.isView(chunk)) len = chunk.length;
      else if (chunk.length < 1000 && this.end === plainEnd && (!generateETag || etagFn === etagOf))
        len = Buffer.byteLength(chunk);
      else { chunk = Buffer.from(chunk, encoding); encoding = undefined; len = chunk.length; }
      this.set('Content-Length', len);
    }
    if (generateETag && len !== undefined) {
      const etag = etagFn(chunk, encoding);
      if (etag) this.set('ETag', etag);
    }
    if (req.fresh) this.statusCode = 304;
    if (this.statusCode === 204 || this.statusCode === 304) {
      this.removeHeader('Content-Type');
      this.removeHeader('Content-Length');
      this.removeHeader('Transfer-Encoding');
      chunk = '';
    }
    if (this.statusCode === 205) { this.set('Content-Length', '0'); this.removeHeader('Transfer-Encoding'); chunk = ''; }
    if (req.method === 'HEAD') this.end();
    else this.end(chunk, encoding);
    return this;
  };
  function stringify(value, replacer, spaces, escape) {
    let json = replacer || spaces ? JSON.stringify(value, replacer, spaces) : JSON.stringify(value);
    if (escape && typeof json === 'string')
      json = json.replace(/[<>&]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    return json;
  }
  response.json = function (obj, ...rest) {
    let val = obj;
    if (!V5 && rest.length === 1) {
      if (typeof rest[0] === 'number') this.statusCode = rest[0];
      else { this.statusCode = obj; val = rest[0]; }
    }
    const app = this.app;
    const body = stringify(val, app.get('json replacer'), app.get('json spaces'), app.get('json escape'));
    if (!this.get('Content-Type')) this.set('Content-Type', 'application/json');
    return this.send(body);
  };
  response.jsonp = function (obj) {
    const app = this.app;
    let body = stringify(obj, app.get('json replacer'), app.get('json spaces'), app.get('json escape'));
    let callback = this.req.query[app.get('jsonp callback name')];
    if (!this.get('Content-Type')) { this.set('X-Content-Type-Options', 'nosniff'); this.set('Content-Type', 'application/json'); }
    if (Array.isArray(callback)) callback = callback[0];
    if (typeof callback === 'string' && callback.length !== 0) {
      this.set('X-Content-Type-Options', 'nosniff');
      this.set('Content-Type', 'text/javascript');
      callback = callback.replace(/[^\[\]\w$.]/g, '');
      if (body === undefined) body = '';
      else body = body.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
      body = '/**/ typeof ' + callback + " === 'function' && " + callback + '(' + body + ');';
    }
    return this.send(body);
  };
  response.sendStatus = function (code) {
    const body = STATUS[code] || String(code);
    this.statusCode = code;
    this.type('txt');
    return this.send(body);
  };
  response.type = response.contentType = function (type) {
    const ct = type.indexOf('/') === -1 ? (mime.lookup(type) || 'application/octet-stream') : type;
    return this.set('Content-Type', ct);
  };
  response.format = function (obj) {
    const req = this.req, next = req.next;
    const keys = Object.keys(obj).filter((k) => k !== 'default');
    const key = keys.length > 0 ? req.accepts(keys) : false;
    this.vary('Accept');
    if (key) { this.set('Content-Type', key.indexOf('/') === -1 ? mime.lookup(key) : key); obj[key](req, this, next); }
    else if (obj.default) obj.default(req, this, next);
    else {
      const err = new Error('Not Acceptable');
      err.status = err.statusCode = 406;
      err.types = keys.map((k) => (k.indexOf('/') === -1 ? mime.lookup(k) : k));
      next(err);
    }
    return this;
  };
  response.attachment = function (filename) {
    if (filename) this.type(pathMod.extname(filename));
    return this.set('Content-Disposition', filename ? 'attachment; filename="' + pathMod.basename(filename) + '"' : 'attachment');
  };
  response.append = function (field, val) {
    const prev = this.get(field);
    let value = val;
    if (prev) value = Array.isArray(prev) ? prev.concat(val) : Array.isArray(val) ? [prev].concat(val) : [prev, val];
    return this.set(field, value);
  };
  response.set = response.header = function (field, ...rest) {
    if (rest.length !== 0) {
      const val = rest[0];
      let value = Array.isArray(val) ? val.map(String) : String(val);
      if (field.toLowerCase() === 'content-type') {
        if (Array.isArray(value)) throw new TypeError('Content-Type cannot be set to an Array');
        if (value.indexOf('charset') === -1 || !HAS_CHARSET.test(value)) {
          const charset = mime.charset(value.split(';')[0]);
          if (charset) value += '; charset=' + charset.toLowerCase();
        }
      }
      this.setHeader(field, value);
    } else {
      for (const key in field) this.set(key, field[key]);
    }
    return this;
  };
  response.get = function (field) { return this.getHeader(field); };
  response.clearCookie = function (name, options) {
    const opts = Object.assign({ path: '/' }, options, { expires: new Date(1) });
    if (V5 || !options || options.maxAge === undefined) delete opts.maxAge;
    return this.cookie(name, '', opts);
  };
  response.cookie = function (name, value, options) {
    const opts = Object.assign({}, options);
    const secret = this.req.secret;
    if (opts.signed && !secret) throw new Error('cookieParser("secret") required for signed cookies');
    let val = typeof value === 'object' ? 'j:' + JSON.stringify(value) : String(value);
    if (opts.signed) val = 's:' + require('cookie-parser').__sign(val, secret);
    if (opts.maxAge != null) {
      const maxAge = opts.maxAge - 0;
      if (!isNaN(maxAge)) { opts.expires = new Date(Date.now() + maxAge); opts.maxAge = Math.floor(maxAge / 1000); }
    }
    if (opts.path == null) opts.path = '/';
    this.append('Set-Cookie', require('cookie-parser').__serialize(name, String(val), opts));
    return this;
  };
  response.location = function (url) {
    let loc = url;
    if (url === 'back' && !V5) loc = this.req.get('Referrer') || '/';
    return this.set('Location', encodeUrl(loc));
  };
  response.redirect = function (url) {
    let address = url, status = 302, body;
    if (arguments.length === 2) {
      if (typeof arguments[0] === 'number') { status = arguments[0]; address = arguments[1]; }
      else if (!V5) status = arguments[1];
    }
    address = this.location(address).get('Location');
    this.format({
      text: () => { body = STATUS[status] + '. Redirecting to ' + address; },
      html: () => { const u = escapeHtml(address); body = '<p>' + STATUS[status] + '. Redirecting to ' + u + '</p>'; },
      default: () => { body = ''; },
    });
    this.statusCode = status;
    this.set('Content-Length', Buffer.byteLength(body));
    if (this.req.method === 'HEAD') this.end();
    else this.end(body);
  };
  response.vary = function (field) {
    const prev = this.get('Vary');
    const list = prev ? String(prev).split(',').map((s) => s.trim()) : [];
    for (const f of [].concat(field)) if (!list.some((x) => x.toLowerCase() === f.toLowerCase())) list.push(f);
    return this.set('Vary', list.join(', '));
  };
  response.render = function (view, options, callback) {
    const req = this.req;
    let opts = options || {}, done = callback;
    if (typeof options === 'function') { done = options; opts = {}; }
    opts._locals = this.locals;
    done = done || ((err, str) => { if (err) return req.next(err); this.send(str); });
    this.app.render(view, opts, done);
  };
  function notFound(next, p) {
    const err = new Error("ENOENT: no such file or directory, stat '" + p + "'");
    err.code = 'ENOENT'; err.status = err.statusCode = 404; err.expose = false;
    next(err);
  }
  response.sendFile = function (path, options, callback) {
    let done = callback, opts = options || {};
    if (typeof options === 'function') { done = options; opts = {}; }
    if (!path) throw new TypeError('path argument is required to res.sendFile');
    if (typeof path !== 'string') throw new TypeError('path must be a string to res.sendFile');
    if (!opts.root && !pathMod.isAbsolute(path)) throw new TypeError('path must be absolute or specify root to res.sendFile');
    const next = done || ((err) => { if (err && err.code !== 'ECONNABORTED' && err.syscall !== 'write') this.req.next(err); });
    sendFileAt(this.req, this, sendTarget(path, opts.root), opts, next);
  };
  response.sendfile = function (path, options, callback) {
    const opts = typeof options === 'object' ? options : {};
    const done = typeof options === 'function' ? options : callback;
    sendFileAt(this.req, this, sendTarget(path, opts.root), opts, done || ((err) => { if (err) this.req.next(err); }));
  };
  response.download = function (path, filename, options, callback) {
    let done = callback, name = filename, opts = options;
    if (typeof filename === 'function') { done = filename; name = null; opts = null; }
    else if (typeof options === 'function') { done = options; opts = null; }
    if (typeof filename === 'object' && filename !== null) { opts = filename; name = null; }
    opts = Object.assign({}, opts);
    opts.headers = Object.assign({}, opts.headers, { 'Content-Disposition': 'attachment; filename="' + pathMod.basename(name || path) + '"' });
    sendFileAt(this.req, this, sendTarget(path, opts.root), opts, done || ((err) => { if (err) this.req.next(err); }));
  };

  // Where send takes a path: under root, normalised there and refused if it
  // climbs out; without one, refused if it has '..' at all (so that
  // sendFile(req.params.name, { root }) cannot serve ../app.js). The parts
  // are what the dotfiles option looks at. null: forbidden.
  const UP_PATH = /(?:^|[\\/])\.\.(?:[\\/]|$)/;
  function sendTarget(path, root) {
    if (root) {
      const rel = pathMod.normalize('./' + path);
      if (UP_PATH.test(rel)) return null;
      return { file: pathMod.normalize(pathMod.join(root, rel)), parts: rel.split('/') };
    }
    if (UP_PATH.test(path)) return null;
    return { file: pathMod.resolve(path), parts: pathMod.normalize(path).split('/') };
  }
  // send's dotfiles: a dot file anywhere in the path is the option's to
  // decide; without the option, only a last part that is one is ignored.
  function dotfiles(parts, option) {
    if (!parts.some((p) => p.length > 1 && p[0] === '.')) return 'allow';
    if (option !== undefined) return option;
    return parts[parts.length - 1][0] === '.' ? 'ignore' : 'allow';
  }
  // send's own refusals (no file system error behind them).
  function refused(next, status, message) {
    const err = new Error(message);
    err.status = err.statusCode = status;
    err.expose = false;
    next(err);
  }
  const forbidden = (next) => refused(next, 403, 'Forbidden');

  // send's core: stat, headers (Content-Type, Last-Modified, ETag,
  // Cache-Control, Accept-Ranges), 304, the bytes. target: sendTarget's.
  function sendFileAt(req, res, target, opts, next) {
    if (target === null) return forbidden(next);
    const file = target.file, access = dotfiles(target.parts, opts.dotfiles);
    if (access === 'deny') return forbidden(next);
    if (access !== 'allow') return refused(next, 404, 'Not Found');
    fs.stat(file, (err, st) => {
      if (err) return notFound(next, file);
      if (st.isDirectory()) {
        if (opts.index !== false)
          return sendFileAt(req, res, { file: pathMod.join(file, 'index.html'), parts: target.parts.concat('index.html') },
            Object.assign({}, opts, { index: false }), next);
        return notFound(next, file);
      }
      if (res.headersSent) { const e = new Error("Can't set headers after they are sent."); e.code = 'ERR_HTTP_HEADERS_SENT'; return next(e); }
      if (opts.headers) for (const k of Object.keys(opts.headers)) res.setHeader(k, opts.headers[k]);
      if (opts.acceptRanges !== false && !res.getHeader('Accept-Ranges')) res.setHeader('Accept-Ranges', 'bytes');
      if (opts.cacheControl !== false && !res.getHeader('Cache-Control')) {
        let cc = 'public, max-age=' + Math.floor((typeof opts.maxAge === 'number' ? opts.maxAge : 0) / 1000);
        if (opts.immutable) cc += ', immutable';
        res.setHeader('Cache-Control', cc);
      }
      if (opts.lastModified !== false && !res.getHeader('Last-Modified')) res.setHeader('Last-Modified', st.mtime.toUTCString());
      if (opts.etag !== false && !res.getHeader('ETag'))
        res.setHeader('ETag', 'W/"' + st.size.toString(16) + '-' + Number(st.mtime).toString(16) + '"');
      if (!res.getHeader('Content-Type')) {
        const type = mime.lookup(file) || 'application/octet-stream';
        const charset = mime.charset(type);   // send 1 (Express 5) writes it lower-case
        res.setHeader('Content-Type', type + (charset ? '; charset=' + (V5 ? charset.toLowerCase() : charset) : ''));
      }
      if (req.fresh) {
        for (const h of ['Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Range', 'Content-Type']) res.removeHeader(h);
        res.statusCode = 304;
        res.end();
        return next();
      }
      res.setHeader('Content-Length', st.size);
      if (req.method === 'HEAD') { res.end(); return next(); }
      fs.readFile(file, (rerr, data) => {
        if (rerr) return notFound(next, file);
        res.end(data);
        next();
      });
    });
  }

  // ---- the application ----------------------------------------------------------------------
  const appProto = Object.create(Function.prototype);

  function createApplication() {
    const app = function (req, res, next) { app.handle(req, res, next); };
    Object.setPrototypeOf(app, appProto);
    app.request = Object.create(request, { app: { configurable: true, enumerable: true, writable: true, value: app } });
    app.response = Object.create(response, { app: { configurable: true, enumerable: true, writable: true, value: app } });
    app.init();
    return app;
  }
  Object.setPrototypeOf(appProto, Object.assign(Object.create(Function.prototype), EventEmitter.prototype));

  appProto.init = function () {
    this.cache = Object.create(null);
    this.engines = Object.create(null);
    this.settings = {};
    this._log = [];
    this._flxId = undefined;
    this._flxTag = undefined;   // "express:" + _flxId, the prototypes' tag (http.js)
    this.defaultConfiguration();
  };
  appProto.defaultConfiguration = function () {
    const env = process.env.NODE_ENV || 'development';
    this.enable('x-powered-by');
    this.set('etag', 'weak');
    this.set('env', env);
    this.set('query parser', V5 ? 'simple' : 'extended');
    this.set('subdomain offset', 2);
    this.set('trust proxy', false);
    this.locals = Object.create(null);
    this.mountpath = '/';
    this.locals.settings = this.settings;
    this.set('view', View);
    this.set('views', pathMod.resolve('views'));
    this.set('jsonp callback name', 'callback');
    if (env === 'production') this.enable('view cache');
    this._log = [];   // the defaults are every app's: not replayed
  };
  // The app's router is rebuilt elsewhere from the app's log (appProto.__flx_clone),
  // never cloned itself: what it logs is not used.
  appProto.lazyrouter = function () {
    if (!this._router) {
      this._router = Router({ caseSensitive: this.enabled('case sensitive routing'), strict: this.enabled('strict routing') });
      Object.defineProperty(this._router, '_app', { value: this });
      if (!V5) {
        const app = this;
        this._router.use(function query(req, res, next) {
          if (!req.query) req.query = queryOf(req, app.get('query parser fn'));
          next();
        });
      }
      this._router.use(expressInit(this));
    }
  };
  Object.defineProperty(appProto, 'router', { configurable: true, get() { this.lazyrouter(); return this._router; } });

  function expressInit(app) {
    return function expressInit(req, res, next) {
      if (app.enabled('x-powered-by')) res.setHeader('X-Powered-By', 'Express');
      req.res = res;
      res.req = req;
      req.next = next;
      Object.setPrototypeOf(req, app.request);
      Object.setPrototypeOf(res, app.response);
      res.locals = res.locals || Object.create(null);
      next();
    };
  }

  appProto.handle = function (req, res, callback) {
    this.lazyrouter();
    this._router.handle(req, res, callback || finalOf(this, req, res), undefined,
                        !callback && !this.parent);
  };
  function finalOf(app, req, res) {
    return finalHandler(req, res, { env: app.get('env'), onerror: logError.bind(app) });
  }
  // V8's stack starts with "Name: message"; QuickJS's has only the frames.
  function stackOf(err) {
    const st = err && err.stack;
    if (typeof st !== 'string') return undefined;
    const head = String(err);
    return st.startsWith(head) ? st : head + '\n' + st.replace(/\n$/, '');
  }
  function logError(err) {
    if (this.get('env') !== 'test') console.error(stackOf(err) || err.toString());
  }

  // finalhandler: the 404 and the error page, as Express answers them.
  function finalHandler(req, res, options) {
    const env = options.env || 'development';
    return function (err) {
      let status, msg, headers;
      if (!err && res.headersSent) return;
      if (err) {
        status = err.status >= 400 && err.status < 600 ? err.status
          : err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : undefined;
        if (status === undefined) status = res.statusCode < 400 || res.statusCode > 599 ? 500 : res.statusCode;
        else headers = err.headers;
        msg = env === 'production' ? STATUS[status] : (stackOf(err) || String(err)) || STATUS[status];
        if (err.expose === false && env === 'production') msg = STATUS[status];
      } else {
        status = 404;
        msg = 'Cannot ' + req.method + ' ' + encodeUrl(getPathname({ url: req.originalUrl || req.url }));
      }
      if (err && options.onerror) options.onerror(err, req, res);
      if (res.headersSent) return;   // Node destroys the socket here; the first answer stands
      const body = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>' +
        escapeHtml(msg).replace(/\n/g, '<br>').replace(/\x20{2}/g, ' &nbsp;') + '</pre>\n</body>\n</html>\n';
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      if (headers) for (const k of Object.keys(headers)) res.setHeader(k, headers[k]);
      res.statusCode = status;
      res.statusMessage = STATUS[status];
      res.setHeader('Content-Security-Policy', "default-src 'none'");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
      if (req.method === 'HEAD') res.end();
      else res.end(body, 'utf8');
    };
  }

  appProto.use = function (...args) {
    this._log.push(['use', args]);
    const { path, fns } = useArgs(args);
    if (fns.length === 0) throw new TypeError('app.use() requires a middleware function');
    this.lazyrouter();
    const router = this._router, parent = this;
    for (const f of fns) {
      if (!f || !f.handle || !f.set) { router.use(path, f); continue; }
      f.mountpath = path;
      f.parent = this;
      router.use(path, function mounted_app(req, res, next) {
        const orig = req.app;
        f.handle(req, res, (err) => {
          Object.setPrototypeOf(req, orig.request);
          Object.setPrototypeOf(res, orig.response);
          next(err);
        });
      });
      if (f.emit) f.emit('mount', parent);
    }
    return this;
  };
  appProto.route = function (path) {
    this.lazyrouter();
    const route = this._router.route(path);
    this._log.push(['route', [path, route._log]]);   // the route's calls, as they come
    return route;
  };
  appProto.engine = function (ext, fn) {
    if (typeof fn !== 'function') throw new Error('callback function required');
    this._log.push(['engine', [ext, fn]]);
    this.engines[ext[0] !== '.' ? '.' + ext : ext] = fn;
    return this;
  };
  appProto.param = function (name, fn) {
    this._log.push(['param', [name, fn]]);
    this.lazyrouter();
    if (Array.isArray(name)) { for (const n of name) this._router.param(n, fn); }
    else this._router.param(name, fn);
    return this;
  };

  function compileQueryParser(val) {
    if (typeof val === 'function') return val;
    if (val === true || val === 'simple') return querystring.parse;
    if (val === false) return undefined;
    if (val === 'extended') return qsParse;
    throw new TypeError('unknown value for query parser function: ' + val);
  }
  // 'trust proxy', as proxy-addr compiles it: true, a hop count, or
  // addresses and subnets (CIDR or netmask; loopback, linklocal,
  // uniquelocal), an IPv4-mapped IPv6 address matching its IPv4 subnets.
  const IP_RANGES = { linklocal: ['169.254.0.0/16', 'fe80::/10'], loopback: ['127.0.0.1/8', '::1/128'],
    uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'] };
  const { parseIPv4, parseIP, isMapped } = native.require('internal_ip');
  function parseSubnet(note) {
    const at = note.lastIndexOf('/');
    const str = at !== -1 ? note.slice(0, at) : note;
    let ip = parseIP(str);
    if (!ip) throw new TypeError('invalid IP address: ' + str);
    const max = ip.length * 8;
    let range = max;
    if (at !== -1) {
      const r = note.slice(at + 1);
      if (/^\d+$/.test(r)) range = parseInt(r, 10);
      else if (ip.length === 4 && parseIPv4(r)) {   // a netmask: its leading ones
        const mask = parseIPv4(r).reduce((n, b) => n * 256 + b, 0);
        range = 0;
        while (range < 32 && mask & (0x80000000 >>> range)) range++;
      } else range = null;
      if (range === null || range < 0 || range > max) throw new TypeError('invalid range on address: ' + note);
    }
    if (isMapped(ip) && range >= 96) { ip = ip.slice(12); range -= 96; }
    return [ip, range];
  }
  function inSubnet(ip, [net, range]) {
    for (let bit = 0; bit < range; bit++) {
      const mask = 0x80 >> (bit & 7);
      if ((ip[bit >> 3] & mask) !== (net[bit >> 3] & mask)) return false;
    }
    return true;
  }
  function compileTrust(val) {
    if (typeof val === 'function') return val;
    if (val === true) return () => true;
    if (typeof val === 'number') return (a, i) => i < val;
    const list = [].concat(typeof val === 'string' ? val.split(',').map((s) => s.trim()) : val || []);
    const subnets = list.reduce((all, a) => all.concat(IP_RANGES[a] || [a]), []).map(parseSubnet);
    if (subnets.length === 0) return () => false;   // trust proxy off: no address to read
    return (addr) => {
      const ip = typeof addr === 'string' ? parseIP(addr) : null;
      if (!ip) return false;
      for (const subnet of subnets) {
        let seen = ip;
        if (ip.length !== subnet[0].length) {
          if (subnet[0].length === 4 && !isMapped(ip)) continue;
          seen = subnet[0].length === 4 ? ip.slice(12) : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff].concat(ip);
        }
        if (inSubnet(seen, subnet)) return true;
      }
      return false;
    };
  }
  // proxy-addr's all(): the socket's address, then X-Forwarded-For's from
  // the right, while each is trusted (the first untrusted one is kept).
  function forwardedChain(req, trust) {
    const addrs = [req.socket.remoteAddress];
    const header = req.headers['x-forwarded-for'] || '';
    const hops = header.split(',').map((a) => a.trim()).filter((a) => a !== '').reverse();
    addrs.push(...hops);
    for (let i = 0; i < addrs.length - 1; i++)
      if (!trust(addrs[i], i)) { addrs.length = i + 1; break; }
    return addrs;
  }
  // A rest parameter, not `arguments`: settings are read several times per
  // request, and QuickJS builds an arguments object at each call that uses it.
  appProto.set = function (setting, ...rest) {
    if (rest.length === 0) return this.settings[setting];
    const val = rest[0];
    this._log.push(['set', [setting, val]]);
    this.settings[setting] = val;
    switch (setting) {
      case 'etag': this.settings['etag fn'] = val === false ? undefined : typeof val === 'function' ? val : etagOf; break;
      case 'query parser': this.settings['query parser fn'] = compileQueryParser(val); break;
      case 'trust proxy': this.settings['trust proxy fn'] = compileTrust(val); break;
    }
    return this;
  };
  appProto.get = function (setting, ...handlers) {
    if (handlers.length === 0 && typeof setting === 'string') return this.settings[setting];
    this.lazyrouter();
    const route = this._router.route(setting);
    this._log.push(['get', [setting, ...handlers]]);
    route.get(...handlers);
    return this;
  };
  appProto.path = function () { return this.parent ? this.parent.path() + this.mountpath : ''; };
  appProto.enabled = function (s) { return Boolean(this.settings[s]); };
  appProto.disabled = function (s) { return !this.settings[s]; };
  appProto.enable = function (s) { return this.set(s, true); };
  appProto.disable = function (s) { return this.set(s, false); };
  for (const method of METHODS.concat('all')) {
    if (method === 'get') continue;
    appProto[method] = function (path, ...handlers) {
      this.lazyrouter();
      const route = this._router.route(path);
      this._log.push([method, [path, ...handlers]]);
      route[method](...handlers);
      return this;
    };
  }
  if (!V5) appProto.del = appProto.delete;
  appProto.render = function (name, options, callback) {
    let opts = options, done = callback, view;
    if (typeof options === 'function') { done = options; opts = {}; }
    const renderOptions = {};
    merge(renderOptions, this.locals);
    if (opts._locals) merge(renderOptions, opts._locals);
    merge(renderOptions, opts);
    if (renderOptions.cache == null) renderOptions.cache = this.enabled('view cache');
    if (renderOptions.cache) view = this.cache[name];
    if (!view) {
      const ViewClass = this.get('view');
      view = new ViewClass(name, { defaultEngine: this.get('view engine'), root: this.get('views'),
        engines: this.engines });
      if (!view.path) {
        const root = view.root;
        const dirs = Array.isArray(root) && root.length > 1
          ? 'directories "' + root.slice(0, -1).join('", "') + '" or "' + root[root.length - 1] + '"'
          : 'directory "' + root + '"';
        const err = new Error('Failed to lookup view "' + name + '" in views ' + dirs);
        err.view = view;
        return done(err);
      }
      if (renderOptions.cache) this.cache[name] = view;
    }
    try {
      view.render(renderOptions, done);
    } catch (err) {
      done(err);
    }
  };
  appProto.listen = function (...args) {
    const server = http.createServer(this);
    return server.listen(...args);
  };

  // Crossing: published once (settings, locals, the configuring calls), then
  // known by its number; each worker rebuilds it once.
  const apps = new Map();   // published id → the app on this worker
  appProto.__flx_clone = function () {
    if (this._flxId === undefined) {
      const settings = {};
      for (const k of Object.keys(this.settings))
        if (typeof this.settings[k] !== 'function' && !k.endsWith(' fn')) settings[k] = this.settings[k];
      const locals = Object.assign({}, this.locals);
      delete locals.settings;
      for (const fn of Object.values(locals))   // template helpers, on every worker
        if (typeof fn === 'function' && fn.__flx_clone === undefined)
          describe(fn, () => native.portable(fn));
      this._flxId = -1;   // a cycle through a sub-app's parent stops here
      this._flxId = native.publish({ settings, locals, mountpath: this.mountpath,
        log: describeHandlers(this._log), version: VERSION });
      apps.set(this._flxId, this);
      if (this._router) locateRoutes(this._router, [this._flxId]);
    }
    return ['express.app', { id: this._flxId }];
  };
  function protoTag() {
    const app = this.app;
    if (!app || !(app._flxId >= 0)) return undefined;
    return app._flxTag || (app._flxTag = 'express:' + app._flxId);
  }
  Object.defineProperty(request, '__flx_proto', { get: protoTag });
  Object.defineProperty(response, '__flx_proto', { get: protoTag });

  function appById(id) {
    let app = apps.get(id);
    if (app) return app;
    const def = native.published(id);
    app = createApplication();
    app._flxId = id;
    apps.set(id, app);
    for (const k of Object.keys(def.settings)) app.set(k, def.settings[k]);
    Object.assign(app.locals, def.locals);
    app.mountpath = def.mountpath;
    replay(app, def.log);
    if (app._router) locateRoutes(app._router, [id]);   // as the original's are
    return app;
  }
  native.revivers['express.app'] = (d) => appById(d.id);
  http.__protoResolvers.express = (id, kind) => {
    const app = appById(Number(id));
    return kind === 'req' ? app.request : app.response;
  };

  // ---- views (Express's lib/view.js) -------------------------------------------------------
  function merge(a, b) {
    if (a && b) for (const key in b) a[key] = b[key];
    return a;
  }
  function isFile(p) {
    try { return fs.statSync(p).isFile(); } catch (e) { return false; }
  }
  // The engine of an extension is the app's (app.engine) or the package named
  // by it, required from the application's node_modules as Express would.
  function View(name, options) {
    const opts = options || {};
    this.defaultEngine = opts.defaultEngine;
    this.ext = pathMod.extname(name);
    this.name = name;
    this.root = opts.root;
    if (!this.ext && !this.defaultEngine)
      throw new Error('No default engine was specified and no extension was provided.');
    let fileName = name;
    if (!this.ext) {
      this.ext = this.defaultEngine[0] !== '.' ? '.' + this.defaultEngine : this.defaultEngine;
      fileName += this.ext;
    }
    if (!opts.engines[this.ext]) {
      const mod = this.ext.slice(1);
      const fn = require(mod).__express;
      if (typeof fn !== 'function') throw new Error('Module "' + mod + '" does not provide a view engine.');
      opts.engines[this.ext] = fn;
    }
    this.engine = opts.engines[this.ext];
    this.path = this.lookup(fileName);
  }
  View.prototype.lookup = function (name) {
    let found;
    const roots = [].concat(this.root);
    for (let i = 0; i < roots.length && !found; i++) {
      const loc = pathMod.resolve(roots[i], name);
      found = this.resolve(pathMod.dirname(loc), pathMod.basename(loc));
    }
    return found;
  };
  View.prototype.resolve = function (dir, file) {
    let p = pathMod.join(dir, file);
    if (isFile(p)) return p;
    p = pathMod.join(dir, pathMod.basename(file, this.ext), 'index' + this.ext);
    if (isFile(p)) return p;
    return undefined;
  };
  // Express 5 calls back on a later tick when the engine answers at once.
  View.prototype.render = function (options, callback) {
    if (!V5) return this.engine(this.path, options, callback);
    let sync = true;
    this.engine(this.path, options, function onRender(...args) {
      if (!sync) return callback.apply(this, args);
      process.nextTick(() => callback.apply(this, args));
    });
    sync = false;
  };

  // ---- static files ------------------------------------------------------------------------
  function serveStatic(root, options) {
    if (!root) throw new TypeError('root path required');
    if (typeof root !== 'string') throw new TypeError('root path must be a string');
    const opts = Object.assign({}, options);
    const fallthrough = opts.fallthrough !== false;
    const redirect = opts.redirect !== false;
    const rootAbs = pathMod.resolve(root);
    const mw = function serveStatic(req, res, next) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        if (fallthrough) return next();
        res.statusCode = 405;
        res.setHeader('Allow', 'GET, HEAD');
        res.setHeader('Content-Length', '0');
        res.end();
        return;
      }
      let path;
      try { path = decodeURIComponent(getPathname(req)); } catch (e) { return fallthrough ? next() : next(e); }
      const target = path.indexOf('\0') === -1 ? sendTarget(path, rootAbs) : null;
      if (target === null) return fallthrough ? next() : forbidden(next);
      const file = target.file;
      fs.stat(file, (err, st) => {
        if (err) return fallthrough ? next() : notFound(next, file);
        if (st.isDirectory() && path[path.length - 1] !== '/') {
          if (!redirect) return fallthrough ? next() : notFound(next, file);
          const loc = encodeUrl((req.originalUrl || req.url).replace(/(\?|$)/, '/$1'));
          const body = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Redirecting</title>\n</head>\n<body>\n<pre>Redirecting to ' + escapeHtml(loc) + '</pre>\n</body>\n</html>\n';
          res.statusCode = 301;
          res.setHeader('Content-Type', 'text/html; charset=UTF-8');
          res.setHeader('Content-Length', Buffer.byteLength(body));
          res.setHeader('Content-Security-Policy', "default-src 'none'");
          res.setHeader('X-Content-Type-Options', 'nosniff');
          res.setHeader('Location', loc);
          res.end(body);
          return;
        }
        sendFileAt(req, res, target, Object.assign({ index: opts.index !== false }, opts), (e) => {
          if (e) return fallthrough && e.status === 404 ? next() : next(e);
        });
      });
    };
    mw.__flx_clone = () => ['express.static', [root, options]];
    return mw;
  }
  native.revivers['express.static'] = ([root, options]) => serveStatic(root, options);

  // ---- the module -------------------------------------------------------------------------------
  const express = createApplication;
  Object.assign(express, {
    application: appProto, request, response, Route, Router,
    json: bodyParser.json, urlencoded: bodyParser.urlencoded, raw: bodyParser.raw,
    text: bodyParser.text, static: serveStatic, query: () => function query(req, res, next) {
      if (!req.query) req.query = queryOf(req, qsParse);
      next();
    },
  });
  express.__version = VERSION;
  module.exports = express;
});
