// assert.js — the `assert` module: which calls pass and which throw, the
// AssertionError's fields and messages; util.isDeepStrictEqual's answers. tests/compat/assert.expected holds
// Node.js's.
const assert = require('assert');
const util = require('util');
const out = [];
function run(label, f) {
  try {
    f();
    out.push(label + ': passes');
  } catch (e) {
    const fields = [e.name, e.code, e.operator, e.generatedMessage];
    out.push(label + ': ' + fields.join(' ') + ' | ' + JSON.stringify(e.message));
  }
}

run('ok true', () => assert.ok(1));
run('assert true', () => assert('x'));
run('ok false with message', () => assert.ok(0, 'zero'));
run('ok no argument', () => assert.ok());
run('ok given an error', () => assert(false, new TypeError('mine')));
run('equal', () => assert.equal(1, '1'));
run('equal NaN', () => assert.equal(NaN, NaN));
run('equal fails', () => assert.equal(1, 2));
run('equal strings fail', () => assert.equal('a', 'b'));
run('notEqual fails', () => assert.notEqual(1, '1'));
run('strictEqual', () => assert.strictEqual(NaN, NaN));
run('strictEqual fails', () => assert.strictEqual(1, 2));
run('strictEqual strings', () => assert.strictEqual('a', 'b'));
run('strictEqual 1 and "1"', () => assert.strictEqual(1, '1'));
run('strictEqual -0', () => assert.strictEqual(0, -0));
run('strictEqual message', () => assert.strictEqual(1, 2, 'custom'));
run('notStrictEqual fails', () => assert.notStrictEqual(1, 1));
run('notStrictEqual passes', () => assert.notStrictEqual(1, '1'));
run('strictEqual same-looking objects', () => assert.strictEqual({ a: 1 }, { a: 1 }));
run('deepEqual loose', () => assert.deepEqual({ a: 1, b: [1, '2'] }, { a: '1', b: ['1', 2] }));
run('deepEqual prototypes ignored', () => assert.deepEqual(Object.create(null), {}));
run('deepEqual fails', () => assert.deepEqual({ a: 1 }, { a: 2 }));
run('notDeepEqual', () => assert.notDeepEqual({ a: 1 }, { a: 2 }));
run('deepStrictEqual', () => assert.deepStrictEqual({ a: [1, { b: 'c' }], d: new Date(5) }, { a: [1, { b: 'c' }], d: new Date(5) }));
run('deepStrictEqual types', () => assert.deepStrictEqual({ a: 1 }, { a: '1' }));
run('deepStrictEqual prototypes', () => assert.deepStrictEqual(Object.create(null), {}));
run('deepStrictEqual primitives', () => assert.deepStrictEqual(1, 2));
run('notDeepStrictEqual fails', () => assert.notDeepStrictEqual([1], [1]));
run('throws', () => assert.throws(() => { throw new TypeError('bad thing'); }, TypeError));
run('throws regexp', () => assert.throws(() => { throw new Error('bad thing'); }, /bad/));
run('throws regexp no match', () => assert.throws(() => { throw new Error('bad thing'); }, /good/));
run('throws object', () => assert.throws(() => { const e = new Error('m'); e.code = 'X'; throw e; }, { code: 'X', message: /m/ }));
run('throws object mismatch', () => assert.throws(() => { throw new Error('m'); }, { message: 'n' }));
run('throws validator', () => assert.throws(() => { throw new Error('m'); }, (e) => e.message === 'm'));
run('throws another class', () => assert.throws(() => { throw new RangeError('r'); }, TypeError));
run('throws nothing', () => assert.throws(() => {}));
run('throws nothing, named', () => assert.throws(() => {}, TypeError));
run('throws nothing, message', () => assert.throws(() => {}, 'why'));
run('doesNotThrow', () => assert.doesNotThrow(() => 1));
run('doesNotThrow fails', () => assert.doesNotThrow(() => { throw new Error('oops'); }));
run('fail', () => assert.fail());
run('fail message', () => assert.fail('boom'));
run('ifError null', () => assert.ifError(null));
run('ifError', () => assert.ifError(new Error('wrong')));
run('match', () => assert.match('abc', /b/));
run('match fails', () => assert.match('abc', /x/));
run('doesNotMatch fails', () => assert.doesNotMatch('abc', /b/));
run('strict.equal', () => assert.strict.equal(1, '1'));
run('strict.deepEqual', () => assert.strict.deepEqual({ a: 1 }, { a: '1' }));
run('strict is strict', () => assert.strictEqual(assert.strict.strict, assert.strict));
run('AssertionError', () => { throw new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' }); });
run('deepStrictEqual objects', () => assert.deepStrictEqual({ 'x-y': 1, a: [1, { b: 2 }] }, { 'x-y': 1, a: [1, { b: 3 }] }));
run('deepEqual objects', () => assert.deepEqual({ a: [1] }, { a: [2] }));
run('strictEqual arrays', () => assert.strictEqual([1], [2]));
run('notDeepStrictEqual objects', () => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }));
// The multi-line form those messages print values in.
out.push(util.inspect({ b: [1, { c: 'x' }], a: 1, s: new Set([2, 1]), e: {}, arr: [], n: null, 'x-y': 2 },
  { compact: false, sorted: true }));
out.push('instanceof ' + (() => { try { assert.fail(); } catch (e) { return e instanceof assert.AssertionError && e instanceof Error; } })());

const eq = [
  [[1, 2, 3], [1, 2, 3]], [[1, 2], [1, 2, 3]], [{ a: 1, b: 2 }, { b: 2, a: 1 }], [{ a: undefined }, {}],
  [new Map([[1, { x: 1 }], ['k', 2]]), new Map([['k', 2], [1, { x: 1 }]])], [new Map([[1, 2]]), new Map([[1, 3]])],
  [new Set([1, { a: 1 }]), new Set([{ a: 1 }, 1])], [new Set([1]), new Set(['1'])], [new Date(1), new Date(2)],
  [/a/g, /a/g], [/a/g, /a/i], [new Uint8Array([1, 2]), new Uint8Array([1, 2])], [new Uint8Array([1]), new Int8Array([1])],
  [Buffer.from('ab'), Buffer.from('ab')], [new Number(1), new Number(1)], [new String('a'), new String('b')],
  [new Error('a'), new Error('a')], [new Error('a'), new TypeError('a')], [NaN, NaN], [0, -0], [[0], [-0]],
  [null, undefined], [{ [Symbol.for('s')]: 1 }, {}], [[1, , 3], [1, undefined, 3]], [Object.create(null), {}],
];
const cyc1 = { name: 'x' }; cyc1.self = cyc1;
const cyc2 = { name: 'x' }; cyc2.self = cyc2;
eq.push([cyc1, cyc2]);
out.push('isDeepStrictEqual ' + eq.map(([a, b]) => (util.isDeepStrictEqual(a, b) ? 1 : 0)).join(''));
out.push('deepEqual ' + eq.map(([a, b]) => { try { assert.deepEqual(a, b); return 1; } catch (e) { return 0; } }).join(''));

console.log(out.join('\n'));

(async () => {
  await assert.rejects(Promise.reject(new Error('no')), /no/);
  console.log('rejects: passes');
  try { await assert.rejects(Promise.resolve(1)); } catch (e) { console.log('rejects resolved: ' + e.code + ' ' + JSON.stringify(e.message)); }
  await assert.doesNotReject(async () => 1);
  console.log('doesNotReject: passes');
})();
