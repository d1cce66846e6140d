// querystring.js — Node.js's `querystring` module: parse and stringify of
// URL query strings. A module factory: (module, exports) as under CommonJS.
(function (module, exports) {
  'use strict';

  // Node escapes like encodeURIComponent, and keeps ! ' ( ) * as they are.
  function escape(s) {
    return encodeURIComponent(s);
  }

  // Lenient, as Node's: valid %XX runs are decoded, the rest stays as it is.
  function unescape(s) {
    try { return decodeURIComponent(s); } catch (e) { /* below */ }
    return s.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try { return decodeURIComponent(run); } catch (e) { return run; }
    });
  }

  function value(v) {
    if (typeof v === 'string') return v;
    if ((typeof v === 'number' && isFinite(v)) || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
    return '';
  }

  function stringify(obj, sep = '&', eq = '=') {
    if (obj === null || typeof obj !== 'object') return '';
    const out = [];
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      const key = escape(value(k)) + eq;
      if (Array.isArray(v)) for (const x of v) out.push(key + escape(value(x)));
      else out.push(key + escape(value(v)));
    }
    return out.join(sep);
  }

  function parse(qs, sep = '&', eq = '=', options) {
    const obj = Object.create(null);
    if (typeof qs !== 'string' || qs.length === 0) return obj;
    const max = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
    let parts = qs.split(sep);
    if (max > 0 && parts.length > max) parts = parts.slice(0, max);
    for (const part of parts) {
      if (part === '') continue;
      const i = part.indexOf(eq);
      const k = unescape((i >= 0 ? part.slice(0, i) : part).replace(/\+/g, ' '));
      const v = unescape((i >= 0 ? part.slice(i + eq.length) : '').replace(/\+/g, ' '));
      if (!(k in obj)) obj[k] = v;
      else if (Array.isArray(obj[k])) obj[k].push(v);
      else obj[k] = [obj[k], v];
    }
    return obj;
  }

  module.exports = { parse, stringify, escape, unescape, decode: parse, encode: stringify };
})
