// util.js — Node.js's `util` module: format, inspect (depth, compact: false,
// sorted), inherits, promisify, isDeepStrictEqual (internal_compare.js).
// A module factory: (module, exports, native).
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

  // opts: depth (2); compact: false puts each entry on a line of its own;
  // sorted: true sorts an object's entries and a Map's or Set's (as
  // node's assert prints values).
  function inspect(v, opts) {
    const o = opts || {};
    const style = { compact: o.compact !== false, sorted: o.sorted === true };
    const seen = new Set();
    seen.circular = new Set();   // objects something refers back to
    const out = show(v, o.depth !== undefined ? o.depth : 2, seen, style, '');
    return seen.circular.has(v) ? '<ref *1> ' + out : out;
  }

  // open + entries + close, on one line or one entry a line under indent.
  function wrap(open, items, close, style, indent) {
    if (items.length === 0) return open + close;
    if (style.compact) return open + ' ' + items.join(', ') + ' ' + close;
    const inner = indent + '  ';
    return open + '\n' + inner + items.join(',\n' + inner) + '\n' + indent + close;
  }

  function show(v, depth, seen, style, indent) {
    switch (typeof v) {
      case 'string': return quote(v);
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
    const inner = style.compact ? indent : indent + '  ';
    const of = (x) => show(x, depth - 1, seen, style, inner);
    const sort = (items) => (style.sorted ? items.sort() : items);
    let out;
    if (Array.isArray(v)) {
      out = wrap('[', v.map(of), ']', style, indent);
    } else if (v instanceof Map) {
      out = wrap('Map(' + v.size + ') {', sort([...v].map(([k, x]) => of(k) + ' => ' + of(x))), '}', style, indent);
    } else if (v instanceof Set) {
      out = wrap('Set(' + v.size + ') {', sort([...v].map(of)), '}', style, indent);
    } else {
      const ctor = Object.getPrototypeOf(v);
      const name = ctor === null ? '[Object: null prototype] ' :
                   ctor.constructor && ctor.constructor.name !== 'Object' ? ctor.constructor.name + ' ' : '';
      const items = Object.keys(v).map((k) => (IDENT.test(k) ? k : quote(k)) + ': ' + of(v[k]));
      out = wrap(name + '{', sort(items), '}', style, indent);
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
