// path.js — Node.js's `path` module (POSIX), for the JavaScript host. A
// module factory: (module, exports) as under CommonJS.
(function (module, exports) {
  'use strict';

  // Node's words for what was given instead.
  function received(v) {
    if (v === null || v === undefined) return 'Received ' + v;
    if (typeof v === 'function') return 'Received function ' + (v.name || '<anonymous>');
    if (typeof v === 'object')
      return 'Received an instance of ' + ((v.constructor && v.constructor.name) || 'Object');
    const shown = typeof v === 'string' ? "'" + v + "'" : String(v);
    return 'Received type ' + typeof v + ' (' + shown + ')';
  }

  function check(p, name) {
    if (typeof p !== 'string') {
      const e = new TypeError('The "' + (name || 'path') + '" argument must be of type string. ' +
                              received(p));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
  }

  // Resolves . and .. in a path; absolute paths cannot go above the root.
  function normalizeString(path, allowAboveRoot) {
    const out = [];
    for (const seg of path.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        if (out.length && out[out.length - 1] !== '..') out.pop();
        else if (allowAboveRoot) out.push('..');
      } else {
        out.push(seg);
      }
    }
    return out.join('/');
  }

  function normalize(p) {
    check(p);
    if (p === '') return '.';
    const abs = p[0] === '/';
    const trailing = p[p.length - 1] === '/';
    let s = normalizeString(p, !abs);
    if (s === '' && !abs) s = '.';
    if (s !== '' && trailing) s += '/';
    return abs ? '/' + s : s;
  }

  function join(...parts) {
    if (parts.length === 0) return '.';
    parts.forEach((p) => check(p));
    const joined = parts.filter((p) => p !== '').join('/');
    return joined === '' ? '.' : normalize(joined);
  }

  function resolve(...parts) {
    let resolved = '', abs = false;
    for (let i = parts.length - 1; i >= -1 && !abs; i--) {
      const p = i >= 0 ? parts[i] : process.cwd();
      check(p);
      if (p === '') continue;
      resolved = p + '/' + resolved;
      abs = p[0] === '/';
    }
    resolved = normalizeString(resolved, !abs);
    return abs ? '/' + resolved : (resolved || '.');
  }

  function isAbsolute(p) { check(p); return p.length > 0 && p[0] === '/'; }

  function dirname(p) {
    check(p);
    if (p === '') return '.';
    let end = p.length;
    while (end > 1 && p[end - 1] === '/') end--;
    const i = p.lastIndexOf('/', end - 1);
    if (i === -1) return '.';
    if (i === 0) return '/';
    let d = p.slice(0, i);
    while (d.length > 1 && d[d.length - 1] === '/') d = d.slice(0, -1);
    return d;
  }

  function basename(p, ext) {
    check(p);
    if (ext !== undefined) check(ext, 'ext');
    let end = p.length;
    while (end > 0 && p[end - 1] === '/') end--;
    if (end === 0) return '';
    const base = p.slice(p.lastIndexOf('/', end - 1) + 1, end);
    if (ext !== undefined && base.endsWith(ext)) return base.slice(0, base.length - ext.length);
    return base;
  }

  function extname(p) {
    check(p);
    const base = basename(p);
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || base === '..') return '';
    return base.slice(dot);
  }

  function relative(from, to) {
    check(from, 'from');
    check(to, 'to');
    const a = resolve(from).split('/').filter(Boolean);
    const b = resolve(to).split('/').filter(Boolean);
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return a.slice(i).map(() => '..').concat(b.slice(i)).join('/');
  }

  function parse(p) {
    check(p);
    const root = p[0] === '/' ? '/' : '';
    const base = basename(p);
    const ext = extname(p);
    let dir = dirname(p);
    if (dir === '.' && !p.startsWith('.')) dir = '';
    return { root, dir, base, ext, name: ext ? base.slice(0, base.length - ext.length) : base };
  }

  function format(o) {
    if (o === null || typeof o !== 'object') {
      const e = new TypeError('The "pathObject" argument must be of type object. ' + received(o));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    const dir = o.dir || o.root;
    const base = o.base || (o.name || '') + (o.ext ? (o.ext[0] === '.' ? '' : '.') + o.ext : '');
    if (!dir) return base;
    return dir === o.root ? dir + base : dir + '/' + base;
  }

  const path = { normalize, join, resolve, isAbsolute, dirname, basename, extname, relative,
                 parse, format, sep: '/', delimiter: ':', toNamespacedPath: (p) => p };
  path.posix = path;
  module.exports = path;
})
