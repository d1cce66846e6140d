// spread.js — spreading arrays as V8 does: holes, an index the prototype has, a
// replaced iterator or next (QuickJS copies plain arrays directly:
// deps/quickjs/spread.patch). tests/compat/spread.expected holds node's answers.
const a = [1, 2, 3], holes = [1, , 3], sparse = []; sparse[5] = 1;
const f = (...x) => x.length + ':' + JSON.stringify(x);
console.log(f(...a), f(...holes), f(...sparse), [...a, ...'ab', ...new Set([1, 1, 2])].join());
Array.prototype[1] = 'proto';
console.log(f(...holes));
delete Array.prototype[1];
const it = Object.getPrototypeOf([][Symbol.iterator]());
const orig = it.next;
it.next = function () { const r = orig.call(this); if (!r.done) r.value = r.value * 10; return r; };
const patched = f(...a);
it.next = orig;
console.log(patched);
const b = [4, 5]; b[Symbol.iterator] = function* () { yield 'own'; };
console.log(f(...b), f(...a));
class C { constructor(...r) { this.r = r; } } console.log(new C(...a).r.join());
