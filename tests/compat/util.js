// util.js — util.format and util.inspect on values that fit on one line, and
// console.log, which formats the same way; tests/compat/util.expected holds
// Node.js's answers.
const util = require('util');
const lines = [
  util.format('%s=%d, %i%%', 'a', 42.5, 7.9),
  util.format('%j and %s', { x: [1, 2] }, null),
  util.format('extra', 1, 'two', { three: 3 }),
  util.format('%s', 'only', 'more'),
  util.format(5, 'x'),
  util.format('%d', '0x10'),
  util.inspect({ a: 1, b: 'two', 'c-d': [true, null, undefined] }),
  util.inspect([]), util.inspect({}), util.inspect([1, [2, [3, [4]]]]),
  util.inspect({ a: { b: { c: { d: 1 } } } }),
  util.inspect(new Map([['k', 1]])), util.inspect(new Set([1, 'a'])),
  util.inspect(-0), util.inspect(12n), util.inspect('it\'s'),
  util.inspect(function named() {}), util.inspect(() => {}),
  util.inspect(new Date(0)), util.inspect(/re/g),
  util.inspect(Object.create(null)),
];
const o = { n: 1 };
o.self = o;
lines.push(util.inspect(o));
function A() {}
function B() {}
util.inherits(A, B);
lines.push('inherits ' + (new A() instanceof B) + ' ' + (A.super_ === B));
const deprecated = ['isArray', 'isDate', 'isRegExp', 'isError', 'isBoolean', 'isNumber', 'isString', 'isSymbol',
                    'isFunction', 'isUndefined', 'isNull', 'isNullOrUndefined', 'isObject', 'isPrimitive', 'isBuffer'];
const samples = [[], new Date(0), /x/, new Error('e'), true, 1, 's', Symbol('y'), () => 1, undefined, null, {}, Buffer.from('b')];
for (const name of deprecated) lines.push(name + ' ' + samples.map((v) => (util[name](v) ? 1 : 0)).join(''));
console.log(lines.join('\n'));
console.log('%s has %d items', 'list', 3, { more: true });
console.log({ k: 'v' }, [1, 2]);
util.promisify((x, cb) => setTimeout(() => cb(null, x * 2), 1))(21).then((v) => {
  console.log('promisify', v);
  process.exit(0);
});
