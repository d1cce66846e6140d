// internal_modules.js — require() of files at run time, resolved as Node
// does: relative and absolute paths (.js, .json, .cjs, a directory's
// package.json "main" or index.js) and packages from node_modules folders
// up the tree ("exports" "." / "require" / "default", then "main", then
// index.js). Each file runs once per worker, in CommonJS's wrapper.
(function (module, exports, native) {
  'use strict';
  const path = require('path');
  const fs = native.fs;
  const cache = Object.create(null);

  function isFile(p) { try { return (fs.stat(p)[0] & 0o170000) === 0o100000; } catch (e) { return false; } }
  function isDir(p) { try { return (fs.stat(p)[0] & 0o170000) === 0o040000; } catch (e) { return false; } }
  function readJson(p) { return JSON.parse(Buffer.from(fs.read(p)).toString()); }

  function asFile(p) {
    for (const ext of ['', '.js', '.json', '.cjs', '.mjs']) if (isFile(p + ext)) return p + ext;
    return null;
  }
  function exportsTarget(exp) {
    if (typeof exp === 'string') return exp;
    if (Array.isArray(exp)) { for (const e of exp) { const t = exportsTarget(e); if (t) return t; } return null; }
    if (exp && typeof exp === 'object') {
      if ('.' in exp) return exportsTarget(exp['.']);
      for (const cond of ['require', 'node', 'default']) if (cond in exp) return exportsTarget(exp[cond]);
    }
    return null;
  }
  function asDir(p, usePkgExports) {
    const pkgFile = path.join(p, 'package.json');
    if (isFile(pkgFile)) {
      let pkg = {};
      try { pkg = readJson(pkgFile); } catch (e) { /* as Node: fall through to index */ }
      const target = (usePkgExports && pkg.exports !== undefined && exportsTarget(pkg.exports)) || pkg.main;
      if (target) {
        const full = path.resolve(p, target);
        const found = asFile(full) || asFile(path.join(full, 'index'));
        if (found) return found;
      }
    }
    return asFile(path.join(p, 'index'));
  }

  function resolve(request, fromDir) {
    if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/') || request === '.' || request === '..') {
      const full = path.resolve(fromDir, request);
      return asFile(full) || (isDir(full) ? asDir(full, false) : null);
    }
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      if (path.basename(dir) !== 'node_modules') {
        const base = path.join(dir, 'node_modules', request);
        const found = asFile(base) || (isDir(base) ? asDir(base, true) : null);
        if (found) return found;
      }
      if (dir === path.dirname(dir)) return null;
    }
  }

  function notFound(request, from) {
    const e = new Error("Cannot find module '" + request + "'\nRequire stack:\n- " + from);
    e.code = 'MODULE_NOT_FOUND';
    e.requireStack = [from];
    return e;
  }

  function load(file, parent) {
    if (cache[file]) return cache[file].exports;
    const m = { id: file, filename: file, path: path.dirname(file), exports: {}, loaded: false,
                parent, children: [], paths: [] };
    cache[file] = m;
    try {
      if (file.endsWith('.json')) {
        m.exports = readJson(file);
      } else {
        let src = Buffer.from(fs.read(file)).toString();
        if (src.startsWith('#!')) src = '//' + src;
        const fn = native.compileModule(src, file);
        fn.call(m.exports, m.exports, makeRequire(m), m, file, m.path);
      }
    } catch (e) {
      delete cache[file];
      throw e;
    }
    m.loaded = true;
    return m.exports;
  }

  function makeRequire(m) {
    const req = function require(request) {
      if (typeof request !== 'string') {
        const e = new TypeError('The "id" argument must be of type string. Received ' + typeof request);
        e.code = 'ERR_INVALID_ARG_TYPE';
        throw e;
      }
      const builtin = native.builtin(request);
      if (builtin !== undefined) return builtin;
      const file = resolve(request, m.path);
      if (!file) throw notFound(request, m.filename);
      return load(file, m);
    };
    req.resolve = (request) => {
      if (native.builtin(request) !== undefined) return request;
      const file = resolve(request, m.path);
      if (!file) throw notFound(request, m.filename);
      return file;
    };
    req.cache = cache;
    req.main = mainModule;
    return req;
  }

  // The program's own module: what require.main is.
  const mainModule = { id: '.', filename: __filename, path: __dirname, exports: {}, loaded: false, children: [], paths: [] };
  exports.requireFromMain = function (request) {
    const file = resolve(request, __dirname);
    if (!file) throw notFound(request, __filename);
    return load(file, mainModule);
  };
  exports.main = mainModule;
  exports.mainRequire = makeRequire(mainModule);   // main's require.resolve, .cache, .main
  exports.cache = cache;   // file → module, of the files loaded so far
  exports.requireFile = function (file) {
    return load(file, mainModule);
  };
});
