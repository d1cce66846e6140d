// internal_compare.js — the deep comparisons of util.isDeepStrictEqual and of
// assert's deepEqual and deepStrictEqual.
(function (module, exports) {
  'use strict';
  // deepEqual(a, b, strict), as node's lib/internal/util/comparisons.js: strict
  // compares with Object.is, prototypes and symbol keys too; loose with ==
  // and ignores prototypes. Both need the same type tag, compare dates,
  // regular expressions, boxed primitives, errors, typed arrays, Maps and
  // Sets by content, and own enumerable keys; cycles compare by position.
  const tagOf = (v) => Object.prototype.toString.call(v);
  function deepEqual(a, b, strict, memo) {
    if (a === b) return a !== 0 || !strict || Object.is(a, b);
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
      if (strict) return Object.is(a, b);
      if ((typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) return false;
      return a == b || (Number.isNaN(a) && Number.isNaN(b));
    }
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const tag = tagOf(a);
    if (tag !== tagOf(b)) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a) && a.length !== b.length) return false;
    if (a instanceof Date) { if (!(b instanceof Date) || a.getTime() !== b.getTime()) return false; }
    else if (a instanceof RegExp) {
      if (!(b instanceof RegExp) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
    } else if (a instanceof Error) {
      if (!(b instanceof Error) || a.message !== b.message || a.name !== b.name) return false;
    } else if (ArrayBuffer.isView(a)) {
      if (!ArrayBuffer.isView(b) || a.byteLength !== b.byteLength) return false;
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    } else if (tag === '[object Number]' || tag === '[object String]' || tag === '[object Boolean]' ||
               tag === '[object BigInt]' || tag === '[object Symbol]') {
      if (!Object.is(a.valueOf(), b.valueOf())) return false;
    }
    memo = memo || { a: new Map(), b: new Map(), depth: 0 };
    const ma = memo.a.get(a), mb = memo.b.get(b);
    if (ma !== undefined && mb !== undefined) return ma === mb;   // both seen: the same place?
    memo.a.set(a, memo.depth); memo.b.set(b, memo.depth); memo.depth++;
    const same = sameKeys(a, b, strict, memo) && sameEntries(a, b, strict, memo);
    memo.a.delete(a); memo.b.delete(b); memo.depth--;
    return same;
  }
  function ownKeys(o, strict) {
    const keys = Object.keys(o);
    if (strict)
      for (const s of Object.getOwnPropertySymbols(o))
        if (Object.prototype.propertyIsEnumerable.call(o, s)) keys.push(s);
    return keys;
  }
  function sameKeys(a, b, strict, memo) {
    const view = ArrayBuffer.isView(a), ka = ownKeys(a, strict).filter((k) => !(view && /^\d+$/.test(k)));
    const kb = ownKeys(b, strict).filter((k) => !(view && /^\d+$/.test(k)));
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
    for (const k of ka) if (!deepEqual(a[k], b[k], strict, memo)) return false;
    return true;
  }
  // A Map's or Set's entries: primitives by lookup, objects by a deep search.
  function sameEntries(a, b, strict, memo) {
    if (a instanceof Set) {
      if (!(b instanceof Set) || a.size !== b.size) return false;
      const rest = [];
      for (const x of a)
        if (typeof x === 'object' && x !== null) rest.push(x);
        else if (!b.has(x) && (strict || !looseHas(b, x))) return false;
      const pool = [...b].filter((y) => typeof y === 'object' && y !== null);
      return rest.every((x) => { const i = pool.findIndex((y) => deepEqual(x, y, strict, memo)); return i >= 0 && pool.splice(i, 1); });
    }
    if (a instanceof Map) {
      if (!(b instanceof Map) || a.size !== b.size) return false;
      const pool = [...b].filter(([k]) => typeof k === 'object' && k !== null);
      for (const [k, v] of a) {
        if (typeof k !== 'object' || k === null) {
          if (!b.has(k) || !deepEqual(v, b.get(k), strict, memo)) return false;
          continue;
        }
        const i = pool.findIndex(([k2, v2]) => deepEqual(k, k2, strict, memo) && deepEqual(v, v2, strict, memo));
        if (i < 0) return false;
        pool.splice(i, 1);
      }
    }
    return true;
  }
  const looseHas = (set, x) => [...set].some((y) => typeof y !== 'object' && (y == x || (Number.isNaN(x) && Number.isNaN(y))));
  module.exports = { deepEqual };
})
