// internal_host.js — the host's own JavaScript (not require-able by programs):
// the revivers that rebuild functions on another worker. A placeholder
// becomes the same placeholder there; a function that must run where its
// state lives (Express's next, a closure left in main) becomes a proxy that
// sends its arguments back to its worker, with `carry` (the request and
// response) so that what the other worker changed on them comes back too.
(function (module, exports, native) {
  'use strict';
  const revivers = native.revivers;
  const table = new Map();   // id → { fn, carry, handle }
  let nextId = 1;

  revivers['flx.cb'] = ([kind, dest, vars]) => native.cb(kind, dest, () => vars);

  // Entries bound to a request go once it is answered; those called after
  // that by design (a copy's end telling the original response) a second
  // later, so a call on its way is still taken. The table is swept whole
  // when it has doubled since the last sweep: a few looks per entry added,
  // however long some requests stay open. (Keeping every entry that second
  // held each request's objects, and the cycle collector's work grew with
  // them; looking at the oldest few at every add cost more than the add.)
  const GRACE_MS = 1000;
  let sweepAt = 64;
  function sweep() {
    const now = Date.now();
    table.forEach((e, id) => {
      if (!e.handle || e.handle.state() !== 2) return;
      if (!e.afterAnswer) table.delete(id);
      else if (e.answeredAt === undefined) e.answeredAt = now;
      else if (now - e.answeredAt > GRACE_MS) table.delete(id);
    });
    sweepAt = Math.max(64, 2 * table.size);
    native.remoteSwept(table.size);
  }

  // The clone description of fn, which stays on this worker.
  // `once`: the entry goes when it is called (a state section's rest).
  native.remote = function (fn, carry, handle, tag, afterAnswer, once) {
    let id = fn.__flx_remote;
    if (id === undefined || !table.has(id)) {
      id = nextId++;
      Object.defineProperty(fn, '__flx_remote', { value: id, configurable: true });
      table.set(id, { fn, carry, handle, afterAnswer, once, answeredAt: undefined });
      if (table.size >= sweepAt) sweep();
    }
    return ['flx.remote', { w: native.worker, id, carry, tag }];
  };

  function call(id, args, carry) {
    const e = table.get(id);
    if (e === undefined) return;   // its request was answered meanwhile
    if (e.once) table.delete(id);
    if (e.carry && carry)
      for (let i = 0; i < e.carry.length; i++)
        if (e.carry[i] !== carry[i] && e.carry[i] && typeof e.carry[i].__flx_merge === 'function')
          e.carry[i].__flx_merge(carry[i]);
    return e.fn.apply(undefined, args);
  }

  // A group handler split by the compiler (docs/compiler.md, "state
  // sections"): the handler runs where its request is and sends its group
  // only the statements that touch the state, with their inputs; `rest`, the
  // statements after them, stays here and is called back with their
  // outputs. An exception on either side goes to Express's next, as the
  // whole handler's would have.
  native.stay = function (next, rest) {
    const k = (failed, v) => {
      if (failed) {
        fail(next, v);
        return;
      }
      try {
        rest.apply(undefined, v);
      } catch (e) {
        fail(next, e);
      }
    };
    k.__flx_clone = stayClone;
    return k;
  };
  // (one function for every k, called with k as this: no closure a request)
  function stayClone() {
    return native.remote(this, undefined, undefined, undefined, false, true);
  }
  function fail(next, e) {
    if (typeof next !== 'function') throw e;
    next(e);
  }
  // The group's side: the section's outputs, or what it threw (or what
  // cannot cross of its outputs), back to the handler's worker.
  native.state = function (k, section) {
    let out;
    try {
      out = section();
    } catch (e) {
      k(true, e);
      return;
    }
    try {
      k(false, out);
    } catch (e) {
      k(true, e);
    }
  };

  revivers['flx.remote'] = function (d) {
    const f = d.w === native.worker
      ? (...args) => call(d.id, args, d.carry)
      : (...args) => { native.send(d.w, [d.id, args, d.carry]); };
    f.__flx_clone = () => ['flx.remote', d];
    if (d.tag) f.__flx_tag = d.tag;
    return f;
  };

  // A function that another worker can make for itself, for what an app is
  // configured with (a template helper in app.locals, a view engine): a
  // built-in module's or a package's export is required there; any other is rebuilt from its source
  // in that worker's global scope, where the program's replicated
  // declarations are. Right for a function of main that uses only those; one
  // that used main's own variables fails there with a ReferenceError naming
  // the variable. A native function (no source) is called where it lives.
  native.portable = function (fn) {
    for (const name of Object.keys(native.modules)) {   // path.join, util.format
      const key = name.startsWith('internal_') ? undefined : keyOf(native.modules[name], fn);
      if (key !== undefined) return ['flx.builtin', [name, key]];
    }
    const files = native.require('internal_modules').cache;
    for (const file of Object.keys(files)) {   // require('ejs').escapeXML
      const key = keyOf(files[file].exports, fn);
      if (key !== undefined) return ['flx.export', [file, key]];
    }
    const src = Function.prototype.toString.call(fn);
    if (/\{\s*\[native code\]\s*\}$/.test(src)) return native.remote(fn);
    return ['flx.source', src];
  };
  // Where fn is in a module's exports ex: null (ex itself), its key, or
  // undefined (not there).
  function keyOf(ex, fn) {
    if (ex === fn) return null;
    if (ex && (typeof ex === 'object' || typeof ex === 'function'))
      for (const key of Object.keys(ex))
        if (ex[key] === fn) return key;
    return undefined;
  }
  const exported = (load) => ([from, key]) => {
    const ex = load(from);
    return key === null ? ex : ex[key];
  };
  revivers['flx.builtin'] = exported((name) => native.require(name));
  revivers['flx.export'] = exported((file) => native.require('internal_modules').requireFile(file));
  // (__flx, as in the program's code: a callback in it is a placeholder)
  revivers['flx.source'] = (src) => {
    const evalGlobal = eval;
    try {
      return evalGlobal('(function (__flx) { return (' + src + '\n); })')(native);
    } catch (e) {
      // a method's source (price(n) { ... }) is no expression alone
      const o = evalGlobal('(function (__flx) { return ({' + src + '\n}); })')(native);
      return o[Object.keys(o)[0]];
    }
  };

  // How the host calls a fluxion: a handler given Express's next (a call
  // back marked next) has its exception, or with Express 5 its rejected
  // promise, passed to next, as Express's own Layer does.
  native.invoke = function (fn, args) {
    let next = null;
    for (let i = args.length - 1; i >= 0 && !next; i--)
      if (typeof args[i] === 'function' && args[i].__flx_tag && args[i].__flx_tag.next) next = args[i];
    if (!next) {
      try {
        return fn.apply(undefined, args);
      } catch (e) {
        // Every request gets an answer: a response in hand is answered 500
        // now (the host then logs the exception with the fluxion's name).
        for (const a of args)
          if (a && a._flx && a._flx.h && 'statusCode' in a && a._flx.h.state() === 0)
            a._flx.h.respond(500, [], 'Internal Server Error');
        throw e;
      }
    }
    let r;
    try {
      r = fn.apply(undefined, args);
    } catch (e) {
      next(e);
      return undefined;
    }
    if (next.__flx_tag.v5 && r && typeof r.then === 'function')
      r.then(null, (e) => next(e || new Error('Rejected promise')));
    return r;
  };

  native.onCall = ([id, args, carry]) => call(id, args, carry);

  // ES modules: what the compiler leaves of an import (a package or a
  // built-in; relative files it has joined already) becomes a require, the
  // CommonJS module being the default export, as Node's interop has it.
  const IMPORT = /(^|[;\n{])([ \t]*)import\s+(?:([\w$]+)\s*,?\s*)?(?:\*\s+as\s+([\w$]+)|\{([^}]*)\})?\s*(?:from\s*)?(['"])([^'"]+)\6[ \t]*;?/g;
  const REQUIRE = /^[ \t]*(const|let|var)\s+([\w$]+|\{[^}]*\})\s*=\s*require\((['"])[^'"]+\3\)(?:\.[\w$]+)*[ \t]*;?[ \t]*$/gm;
  native.esm = function (src) {
    if (src.indexOf('import') < 0) return src;
    return src.replace(new RegExp(IMPORT), (all, lead, indent, def, ns, named, q, name) => {
      const m = `__flx_import(${JSON.stringify(name)})`;
      const parts = [];
      if (def) parts.push(`const ${def} = ${m}.default;`);
      if (ns) parts.push(`const ${ns} = ${m};`);
      if (named !== undefined)
        parts.push(`const { ${named.replace(/\s+as\s+/g, ': ').replace(/\n/g, ' ')} } = ${m};`);
      if (parts.length === 0) parts.push(`${m};`);
      const lines = all.split('\n').length - 1 - (lead === '\n' ? 1 : 0);
      return lead + indent + parts.join(' ') + '\n'.repeat(Math.max(0, lines));
    }).replace(/\bimport\.meta\b/g, "({ url: 'file://' + __filename, filename: __filename, dirname: __dirname })");
  };
  // The imports alone, as global declarations: every worker has what main
  // imported, as it has main's requires (they are replicated).
  native.esmImports = function (src) {
    const out = [];
    src.replace(new RegExp(IMPORT), (all, lead) => { out.push(native.esm(all.slice(lead.length)).replace(/\bconst\b/g, 'var')); return all; });
    // main's requires of modules too: a group's initial values may use them
    src.replace(REQUIRE, (all, kind, names) => { out.push(all.replace(/^\s*(const|let|var)/, 'var')); return all; });
    return out.join('\n');
  };
  globalThis.__flx_import = function (name) {
    const m = require(name);
    if (m && typeof m === 'object' && m.__esModule) return m;
    const ns = Object.assign(Object.create(null), m && (typeof m === 'object' || typeof m === 'function') ? m : {});
    ns.default = m;
    return ns;
  };
});
