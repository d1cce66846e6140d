// querystring.js — parse and stringify; tests/compat/querystring.expected
// holds Node.js's answers.
const qs = require('querystring');
const show = (o) => JSON.stringify(Object.assign({}, o));
const lines = [
  show(qs.parse('a=1&b=2&a=3&c')), show(qs.parse('x=hello+world&y=%E2%82%AC&z=%zz')),
  show(qs.parse('')), show(qs.parse('a:1;b:2', ';', ':')), show(qs.parse('&&k=v&&')),
  'proto ' + (Object.getPrototypeOf(qs.parse('a=1')) === null),
  qs.stringify({ a: [1, 2], b: 'x y', c: "!'()*~", d: true, e: null, f: {} }),
  qs.stringify({ w: 'a b' }, ';', ':'), qs.stringify('nope'),
  qs.escape('a b&c'), qs.unescape('a%20b%zz'),
];
console.log(lines.join('\n'));
process.exit(0);
