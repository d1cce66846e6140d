// stringify.js — JSON.stringify must write what V8 writes: key order (index
// keys first), what is left out, toJSON and replacers with their keys,
// indentation, escapes, and objects changed while they are written (QuickJS
// is built with a faster JSON.stringify: deps/quickjs/stringify.patch).
// tests/compat/stringify.expected holds Node.js's answers.
const out = [];
const show = (label, f) => {
  try { out.push(label + ' ' + f()); } catch (e) { out.push(label + ' ' + e.name); }
};

show('plain', () => JSON.stringify({ a: 1, b: 'x', c: true, d: null, e: [1, 'two', false] }));
show('index keys first', () => JSON.stringify({ b: 1, 2: 'two', a: 3, 1: 'one', '01': 'z', 4294967295: 'big', 4294967294: 'max' }));
show('left out', () => JSON.stringify({ u: undefined, f() {}, s: Symbol('s'), [Symbol('k')]: 1, ok: 1 }));
show('in arrays', () => JSON.stringify([undefined, function () {}, Symbol('s'), NaN, -0, Infinity, -Infinity]));
show('numbers', () => JSON.stringify([0, -1, 2147483647, -2147483648, 2147483648, 1e21, 1.5e-7, 0.1 + 0.2, 123456789012345680000]));
show('non-enumerable', () => {
  const o = { seen: 1 };
  Object.defineProperty(o, 'hidden', { value: 2, enumerable: false });
  return JSON.stringify(o);
});
show('getter', () => JSON.stringify({ get g() { return { inner: [1] }; }, after: 2 }));
show('deleted keys', () => {
  const o = { a: 1, b: 2, c: 3 };
  delete o.b;
  o.d = 4;
  return JSON.stringify(o);
});
show('class instance', () => {
  class P { constructor() { this.x = 1; this.y = [2]; } method() {} }
  P.prototype.inherited = 'no';
  return JSON.stringify(new P());
});
show('null prototype', () => { const o = Object.create(null); o.k = 'v'; return JSON.stringify(o); });
show('toJSON', () => JSON.stringify({ when: new Date(0), own: { toJSON(key) { return 'key=' + key; } } }));
show('toJSON in array', () => JSON.stringify([{ toJSON(key) { return typeof key + ':' + key; } }, 5]));
show('toJSON on prototype', () => {
  function T(v) { this.v = v; }
  T.prototype.toJSON = function (key) { return { key, v: this.v }; };
  return JSON.stringify({ first: new T(1), list: [new T(2)] });
});
show('toJSON deletes a later key', () => {
  const o = { a: { toJSON() { delete o.b; o.z = 1; return 'A'; } }, b: 'gone', c: 'kept' };
  return JSON.stringify(o);
});
show('toJSON changes later keys', () => {
  const o = {
    a: { toJSON() {
      o.b = 'changed';
      Object.defineProperty(o, 'c', { get() { return 'getter'; }, enumerable: true });
      delete o.d;
      o.d = 'readded';
      return 'A';
    } },
    b: 'old', c: 'plain', d: 'first', e: 'last',
  };
  return JSON.stringify(o);
});
show('toJSON empties the array', () => {
  const arr = [1, { toJSON() { arr.length = 0; return 'x'; } }, 3];
  return JSON.stringify(arr);
});
show('replacer function', () => JSON.stringify({ a: 1, b: [1, 2], c: { d: 'e' } },
  function (k, v) { return typeof v === 'number' ? v * 10 + (this === undefined ? 0 : 0) : v; }));
show('replacer keys', () => {
  const keys = [];
  JSON.stringify({ a: [1, { b: 2 }], 3: 'i' }, (k, v) => { keys.push(typeof k + ':' + k); return v; });
  return keys.join(',');
});
show('replacer array', () => JSON.stringify({ a: 1, b: 2, c: { a: 3, d: 4 }, 1: 'one' }, ['a', 'c', 1, 'a', {}]));
show('indent number', () => JSON.stringify({ a: [1, { b: 2 }], e: {}, f: [] }, null, 2));
show('indent string', () => JSON.stringify({ a: [1, 2] }, null, '--'));
show('indent clamp', () => JSON.stringify([1], null, 20) + JSON.stringify([1], null, 'abcdefghijklmn'));
show('escapes', () => JSON.stringify('q"b\\s/\b\f\n\r\t\u0000\u001f\u007f\u2028\u2029é€'));
show('surrogates', () => JSON.stringify(['\ud83d\ude00', '\ud83d', '\ude00x', 'a\udfffb']));
show('keys escaped', () => JSON.stringify({ 'a"b': 1, 'new\nline': 2, 'é': 3, '\u0001': 4 }));
show('wrappers', () => JSON.stringify([new String('s'), new Number(3), new Boolean(false), Object(Symbol('x'))]));
show('map set', () => JSON.stringify({ m: new Map([[1, 2]]), s: new Set([1]) }));
show('typed array', () => JSON.stringify(new Uint8Array([1, 2, 3])));
show('buffer', () => JSON.stringify(Buffer.from('hi')));
show('regexp error', () => JSON.stringify({ r: /x/g, e: new Error('m') }));
show('cycle', () => { const o = { a: {} }; o.a.o = o; return JSON.stringify(o); });
show('cycle in array', () => { const a = [1]; a.push([a]); return JSON.stringify(a); });
show('same object twice', () => { const s = { k: 1 }; return JSON.stringify({ x: s, y: [s, s] }); });
show('top level', () => [JSON.stringify('s'), JSON.stringify(1), JSON.stringify(null), JSON.stringify(undefined),
  JSON.stringify(() => 1), JSON.stringify(true)].join(' '));
show('bigint', () => JSON.stringify({ n: 1n }));
show('deep', () => { let v = 0; for (let i = 0; i < 200; i++) v = { v: [v] }; return JSON.stringify(v).length; });
show('many keys', () => { const o = {}; for (let i = 0; i < 40; i++) o['k' + i] = i; return JSON.stringify(o); });

// Random values, written by both, as a digest of every text.
let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (a) => a[Math.floor(rnd() * a.length)];
const words = ['', 'a', 'key', 'é', '"', '\\', '\n', '\u0007', '\ud800', '😀', '10', '0', '-1', '1.5', 'toString', '__proto__x'];
function value(depth) {
  const r = rnd();
  if (depth > 3 || r < 0.45) return pick([0, -0, 1, -7, 3.25, 1e300, NaN, 2 ** 40, true, false, null, undefined, 'txt', pick(words)]);
  if (r < 0.7) { const a = []; for (let n = Math.floor(rnd() * 5); n > 0; n--) a.push(value(depth + 1)); return a; }
  const o = {};
  for (let n = Math.floor(rnd() * 6); n > 0; n--) o[rnd() < 0.2 ? String(Math.floor(rnd() * 5)) : pick(words)] = value(depth + 1);
  if (rnd() < 0.1) delete o[pick(Object.keys(o).concat(['none']))];
  return o;
}
const digest = require('crypto').createHash('sha1');
for (let k = 0; k < 3000; k++) {
  const v = value(0), indent = pick([undefined, undefined, 2, '\t']);
  digest.update(String(JSON.stringify(v, null, indent)) + '\n');
}
out.push('random ' + digest.digest('hex'));
console.log(out.join('\n'));
