// util.js — Node.js's `util` module: format, inspect (for values that fit on
// one line), inherits, promisify, isDeepStrictEqual (internal_compare.js).
// A module factory:
// (module, exports) as under CommonJS.
(function (module, exports, native) {
  'use strict';
  const compare = native.require('internal_compare');

  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  // Single quotes, or double ones when the string holds a single quote.
  function quote(s) {
    const esc = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    if (s.includes("'") && !s.includes('"')) return '"' + esc + '"';
    return "'" + esc.replace(/'/g, "\\'") + "'";
  }

  function inspect(v, opts) {
    const depth = opts && opts.depth !== undefined ? opts.depth : 2;
    const seen = new Set();
    seen.circular = new Set();   // objects something refers back to
    const out = show(v, depth, seen, true);
    return seen.circular.has(v) ? '<ref *1> ' + out : out;
  }

  function show(v, depth, seen, top) {
    switch (typeof v) {
      case 'string': return top ? quote(v) : quote(v);
      case 'number': return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint': return v + 'n';
      case 'boolean': case 'undefined': return String(v);
      case 'symbol': return v.toString();
      case 'function': return '[' + (v.prototype && /^class\b/.test(Function.prototype.toString.call(v)) ? 'class' : 'Function') +
                              (v.name ? ': ' + v.name : ' (anonymous)') + ']';
    }
    if (v === null) return 'null';
    if (seen.has(v)) {
      seen.circular.add(v);
      return '[Circular *1]';
    }
    if (v instanceof Date) return isNaN(v) ? 'Invalid Date' : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (v instanceof Error) return v.stack || String(v);
    if (depth < 0) return Array.isArray(v) ? '[Array]' : '[Object]';
    seen.add(v);
    let out;
    if (Array.isArray(v)) {
      out = v.length === 0 ? '[]' : '[ ' + v.map((x) => show(x, depth - 1, seen, false)).join(', ') + ' ]';
    } else if (v instanceof Map) {
      const items = [...v].map(([k, x]) => show(k, depth - 1, seen, false) + ' => ' + show(x, depth - 1, seen, false));
      out = 'Map(' + v.size + ') ' + (items.length ? '{ ' + items.join(', ') + ' }' : '{}');
    } else if (v instanceof Set) {
      const items = [...v].map((x) => show(x, depth - 1, seen, false));
      out = 'Set(' + v.size + ') ' + (items.length ? '{ ' + items.join(', ') + ' }' : '{}');
    } else {
      const keys = Object.keys(v);
      const ctor = Object.getPrototypeOf(v);
      const name = ctor === null ? '[Object: null prototype] ' :
                   ctor.constructor && ctor.constructor.name !== 'Object' ? ctor.constructor.name + ' ' : '';
      const items = keys.map((k) => (IDENT.test(k) ? k : quote(k)) + ': ' + show(v[k], depth - 1, seen, false));
      out = name + (items.length ? '{ ' + items.join(', ') + ' }' : '{}');
    }
    seen.delete(v);
    return out;
  }

  function format(f, ...args) {
    if (typeof f !== 'string') return [f, ...args].map((x) => typeof x === 'string' ? x : inspect(x)).join(' ');
    let i = 0;
    let out = f.replace(/%[sdifjoOc%]/g, (m) => {
      if (m === '%%') return '%';
      if (i >= args.length) return m;
      const a = args[i++];
      switch (m) {
        case '%s': return typeof a === 'string' ? a : typeof a === 'bigint' ? a + 'n' :
                          typeof a === 'object' && a !== null ? inspect(a, { depth: 1 }) : String(a);
        case '%d': return typeof a === 'bigint' ? a + 'n' : typeof a === 'object' ? 'NaN' : String(Number(a));
        case '%i': return typeof a === 'bigint' ? a + 'n' : String(parseInt(a));
        case '%f': return String(parseFloat(a));
        case '%j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
        case '%o': case '%O': return inspect(a);
        case '%c': return '';
      }
      return m;
    });
    for (; i < args.length; i++) out += ' ' + (typeof args[i] === 'string' ? args[i] : inspect(args[i]));
    return out;
  }

  function inherits(ctor, superCtor) {
    Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  }

  function promisify(fn) {
    if (typeof fn !== 'function') {
      const e = new TypeError('The "original" argument must be of type function');
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    return function (...args) {
      return new Promise((resolve, reject) => {
        fn.call(this, ...args, (err, value) => (err ? reject(err) : resolve(value)));
      });
    };
  }

  const isDeepStrictEqual = (a, b) => compare.deepEqual(a, b, true);

  const isDate = (v) => v instanceof Date, isRegExp = (v) => v instanceof RegExp;
  module.exports = { format, inspect, inherits, promisify, isDeepStrictEqual,
                     types: { isDate, isRegExp },
                     // Deprecated since Node 4 and still there: old packages (nedb) use them.
                     isArray: Array.isArray, isDate, isRegExp,
                     isError: (v) => v instanceof Error,
                     isBoolean: (v) => typeof v === 'boolean', isNumber: (v) => typeof v === 'number',
                     isString: (v) => typeof v === 'string', isSymbol: (v) => typeof v === 'symbol',
                     isFunction: (v) => typeof v === 'function', isUndefined: (v) => v === undefined,
                     isNull: (v) => v === null, isNullOrUndefined: (v) => v == null,
                     isObject: (v) => v !== null && typeof v === 'object',
                     isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
                     isBuffer: (v) => Buffer.isBuffer(v) };
})
