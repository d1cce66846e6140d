// url.js — Node.js's `url`: the legacy url.parse/format/resolve and the
// WHATWG URL and URLSearchParams (special schemes http, https, ws, wss, ftp,
// file), fileURLToPath and pathToFileURL.
(function (module, exports) {
  'use strict';
  const querystring = require('querystring');

  // ---- URLSearchParams ----------------------------------------------------------
  const formEncode = (s) => encodeURIComponent(s).replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const formDecode = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return s; } };

  class URLSearchParams {
    constructor(init) {
      this._list = [];
      this._url = null;
      if (init === undefined || init === null) return;
      if (typeof init === 'object') {
        if (typeof init[Symbol.iterator] === 'function') {
          for (const [k, v] of init) this._list.push([String(k), String(v)]);
        } else {
          for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
        }
      } else {
        this._parse(String(init));
      }
    }
    _parse(s) {
      this._list = [];
      if (s[0] === '?') s = s.slice(1);
      for (const part of s.split('&')) {
        if (!part) continue;
        const eq = part.indexOf('=');
        this._list.push(eq < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))]);
      }
    }
    _update() { if (this._url) this._url._search = this._list.length ? '?' + this.toString() : ''; }
    get size() { return this._list.length; }
    append(k, v) { this._list.push([String(k), String(v)]); this._update(); }
    delete(k) { this._list = this._list.filter(([n]) => n !== String(k)); this._update(); }
    get(k) { const e = this._list.find(([n]) => n === String(k)); return e ? e[1] : null; }
    getAll(k) { return this._list.filter(([n]) => n === String(k)).map(([, v]) => v); }
    has(k) { return this._list.some(([n]) => n === String(k)); }
    set(k, v) {
      k = String(k);
      const i = this._list.findIndex(([n]) => n === k);
      if (i < 0) this._list.push([k, String(v)]);
      else { this._list[i][1] = String(v); this._list = this._list.filter(([n], j) => n !== k || j === i); }
      this._update();
    }
    sort() { this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this._update(); }
    forEach(fn, self) { for (const [k, v] of this._list) fn.call(self, v, k, this); }
    keys() { return this._list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this._list.map(([, v]) => v)[Symbol.iterator](); }
    entries() { return this._list.map(([k, v]) => [k, v])[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return this._list.map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&'); }
    get [Symbol.toStringTag]() { return 'URLSearchParams'; }
  }

  // ---- URL -----------------------------------------------------------------------
  const SPECIAL = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21', 'file:': '' };

  function invalid(input) {
    const e = new TypeError('Invalid URL');
    e.code = 'ERR_INVALID_URL';
    e.input = input;
    return e;
  }

  // Removes . and .. segments, as the URL standard does.
  function normalizePath(path) {
    const out = [];
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const s = segs[i], last = i === segs.length - 1;
      if (s === '..' || s.toLowerCase() === '%2e%2e') { out.pop(); if (last) out.push(''); }
      else if (s === '.' || s.toLowerCase() === '%2e') { if (last) out.push(''); }
      else out.push(s);
    }
    return '/' + out.join('/');
  }

  const encodePath = (s) => s.replace(/[\x00-\x20"#<>?`{}\x7f-\uffff]/g, (c) => (c === '?' || c === '#') ? c : encodeURIComponent(c));
  const encodeQuery = (s) => s.replace(/[\x00-\x20"#<>'\x7f-\uffff]/g, (c) => c === '#' ? c : encodeURIComponent(c));
  const encodeHash = (s) => s.replace(/[\x00-\x20"<>`\x7f-\uffff]/g, encodeURIComponent);

  class URL {
    constructor(input, base) {
      input = String(input).trim();
      const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(input);
      if (m) {
        this._protocol = m[1].toLowerCase() + ':';
        this._parseAfterScheme(m[2], null, input);
      } else {
        if (base === undefined) throw invalid(input);
        const b = base instanceof URL ? base : new URL(base);
        this._protocol = b._protocol;
        this._parseAfterScheme(input, b, input);
      }
      this._params = new URLSearchParams(this._search);
      this._params._url = this;
    }
    _parseAfterScheme(rest, base, input) {
      const special = this._protocol in SPECIAL;
      let hash = '', search = '';
      const h = rest.indexOf('#');
      if (h >= 0) { hash = rest.slice(h); rest = rest.slice(0, h); }
      const q = rest.indexOf('?');
      if (q >= 0) { search = rest.slice(q); rest = rest.slice(0, q); }
      if (special) rest = rest.replace(/\\/g, '/');
      this._username = ''; this._password = ''; this._hostname = ''; this._port = '';
      if (rest.startsWith('//')) {
        rest = rest.slice(2);
        const slash = rest.indexOf('/');
        let auth = slash < 0 ? rest : rest.slice(0, slash);
        rest = slash < 0 ? '' : rest.slice(slash);
        const at = auth.lastIndexOf('@');
        if (at >= 0) {
          const cred = auth.slice(0, at);
          auth = auth.slice(at + 1);
          const colon = cred.indexOf(':');
          this._username = colon < 0 ? cred : cred.slice(0, colon);
          this._password = colon < 0 ? '' : cred.slice(colon + 1);
        }
        const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
        if (!pm) throw invalid(input);
        this._hostname = special ? pm[1].toLowerCase() : pm[1];
        this._port = pm[2] && pm[2] !== SPECIAL[this._protocol] ? String(Number(pm[2])) : '';
        if (special && this._protocol !== 'file:' && !this._hostname) throw invalid(input);
        this._pathname = special ? normalizePath(rest || '/') : rest;
      } else if (base) {
        this._username = base._username; this._password = base._password;
        this._hostname = base._hostname; this._port = base._port;
        if (rest === '') {
          this._pathname = base._pathname;
          if (q < 0) search = base._search;
        } else if (rest[0] === '/') {
          this._pathname = normalizePath(rest);
        } else {
          const dir = base._pathname.slice(0, base._pathname.lastIndexOf('/') + 1);
          this._pathname = normalizePath(dir + rest);
        }
      } else if (special) {
        throw invalid(input);
      } else {
        this._pathname = rest;   // mailto:, data: ...: an opaque path
      }
      this._pathname = encodePath(this._pathname);
      this._search = search.length > 1 ? encodeQuery(search) : '';
      this._hash = hash.length > 1 ? encodeHash(hash) : '';
    }
    get protocol() { return this._protocol; }
    set protocol(v) { v = String(v).replace(/:.*$/, ''); this._protocol = v.toLowerCase() + ':'; }
    get username() { return this._username; }
    set username(v) { this._username = encodeURIComponent(v); }
    get password() { return this._password; }
    set password(v) { this._password = encodeURIComponent(v); }
    get hostname() { return this._hostname; }
    set hostname(v) { this._hostname = String(v).toLowerCase(); }
    get port() { return this._port; }
    set port(v) { v = String(v); this._port = v === SPECIAL[this._protocol] ? '' : v; }
    get host() { return this._hostname + (this._port ? ':' + this._port : ''); }
    set host(v) { const [h, p] = String(v).split(':'); this.hostname = h; if (p !== undefined) this.port = p; }
    get origin() { return this._protocol in SPECIAL && this._protocol !== 'file:' ? this._protocol + '//' + this.host : 'null'; }
    get pathname() { return this._pathname; }
    set pathname(v) { v = String(v); this._pathname = encodePath(v[0] === '/' ? v : '/' + v); }
    get search() { return this._search; }
    set search(v) { v = String(v); this._search = v && v !== '?' ? encodeQuery(v[0] === '?' ? v : '?' + v) : ''; this._params._parse(this._search); }
    get searchParams() { return this._params; }
    get hash() { return this._hash; }
    set hash(v) { v = String(v); this._hash = v && v !== '#' ? encodeHash(v[0] === '#' ? v : '#' + v) : ''; }
    get href() {
      const auth = this._username || this._password
        ? this._username + (this._password ? ':' + this._password : '') + '@' : '';
      const slashes = this._protocol in SPECIAL || this._hostname ? '//' : '';
      return this._protocol + slashes + auth + this.host + this._pathname + this._search + this._hash;
    }
    set href(v) { const u = new URL(v); Object.assign(this, u); this._params._url = this; }
    toString() { return this.href; }
    toJSON() { return this.href; }
    get [Symbol.toStringTag]() { return 'URL'; }
    static canParse(input, base) { try { new URL(input, base); return true; } catch (e) { return false; } }
  }

  // ---- the legacy API -------------------------------------------------------------
  function Url() {
    this.protocol = null; this.slashes = null; this.auth = null; this.host = null;
    this.port = null; this.hostname = null; this.hash = null; this.search = null;
    this.query = null; this.pathname = null; this.path = null; this.href = null;
  }

  function parse(str, parseQuery, slashesDenoteHost) {
    if (str instanceof Url) return str;
    if (typeof str !== 'string') {
      const e = new TypeError('The "url" argument must be of type string. Received ' + typeof str);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    const u = new Url();
    let rest = str.trim();
    const h = rest.indexOf('#');
    if (h >= 0) { u.hash = rest.slice(h); rest = rest.slice(0, h); }
    const q = rest.indexOf('?');
    if (q >= 0) { u.search = rest.slice(q); u.query = rest.slice(q + 1); rest = rest.slice(0, q); }
    else if (parseQuery) { u.search = ''; u.query = {}; }
    if (parseQuery && typeof u.query === 'string') u.query = querystring.parse(u.query);
    const pm = /^([a-zA-Z][a-zA-Z0-9+.-]*:)/.exec(rest);
    if (pm) { u.protocol = pm[1].toLowerCase(); rest = rest.slice(pm[1].length); }
    if (rest.startsWith('//') && (u.protocol || slashesDenoteHost)) {
      u.slashes = true;
      rest = rest.slice(2);
      const end = rest.search(/[\/]/);
      let auth = end < 0 ? rest : rest.slice(0, end);
      rest = end < 0 ? '' : rest.slice(end);
      const at = auth.lastIndexOf('@');
      if (at >= 0) { u.auth = decodeURIComponent(auth.slice(0, at)); auth = auth.slice(at + 1); }
      u.host = auth.toLowerCase();
      const cm = /:(\d*)$/.exec(u.host);
      if (cm) { u.port = cm[1] || null; u.hostname = u.host.slice(0, cm.index); }
      else u.hostname = u.host;
      if (u.protocol in SPECIAL && !rest) rest = '/';
    }
    u.pathname = rest || (u.slashes ? '/' : null);
    if (u.pathname === null && u.search === null) u.path = null;
    else u.path = (u.pathname || '') + (u.search || '');
    u.href = format(u);
    return u;
  }

  function format(obj, options) {
    if (typeof obj === 'string') obj = parse(obj);
    if (obj instanceof URL) {
      if (!options) return obj.href;
      const o = new URL(obj.href);
      if (options.fragment === false) o.hash = '';
      if (options.search === false) o.search = '';
      if (options.auth === false) { o.username = ''; o.password = ''; }
      return o.href;
    }
    let auth = obj.auth ? encodeURIComponent(obj.auth).replace(/%3A/i, ':') + '@' : '';
    let protocol = obj.protocol || '';
    if (protocol && protocol[protocol.length - 1] !== ':') protocol += ':';
    let host = '';
    if (obj.host) host = auth + obj.host;
    else if (obj.hostname) host = auth + obj.hostname + (obj.port ? ':' + obj.port : '');
    let pathname = obj.pathname || '';
    let search = obj.search || '';
    if (!search && obj.query && typeof obj.query === 'object' && Object.keys(obj.query).length)
      search = '?' + querystring.stringify(obj.query);
    if (search && search[0] !== '?') search = '?' + search;
    let hash = obj.hash || '';
    if (hash && hash[0] !== '#') hash = '#' + hash;
    if (obj.slashes || (protocol in SPECIAL && protocol !== 'file:') || (host && !obj.slashes && protocol)) {
      host = '//' + host;
      if (pathname && pathname[0] !== '/') pathname = '/' + pathname;
    }
    pathname = pathname.replace(/[?#]/g, encodeURIComponent);
    search = search.replace('#', '%23');
    return protocol + host + pathname + search + hash;
  }

  function resolve(from, to) {
    return new URL(to, new URL(from, 'resolve://')).href.replace(/^resolve:\/\/\/?/, from.startsWith('/') ? '/' : '');
  }

  function fileURLToPath(u) {
    if (typeof u === 'string') u = new URL(u);
    if (u.protocol !== 'file:') {
      const e = new TypeError('The URL must be of scheme file');
      e.code = 'ERR_INVALID_URL_SCHEME';
      throw e;
    }
    return decodeURIComponent(u.pathname);
  }

  function pathToFileURL(p) {
    const path = require('path');
    return new URL('file://' + encodePath(path.resolve(p)));
  }

  module.exports = { parse, format, resolve, URL, URLSearchParams, Url, fileURLToPath, pathToFileURL };
});
