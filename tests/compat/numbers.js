// numbers.js — numbers printed as text and strings built by appending must
// read as under Node.js (QuickJS is patched for both: deps/quickjs/).
const out = [];
const show = (label, f) => { try { out.push(label + ' ' + JSON.stringify(f())); } catch (e) { out.push(label + ' throws ' + e.name); } };
show('fractions', () => [0.1 + 0.2, 1 / 3, 2 / 3, 12.3, -45.67, 0.000001, 1e-7, 123e-20, 5e-324]);
show('large', () => [1e21, 1.7976931348623157e308, 111111111111111111111, 2 ** 53 + 2, -1e300]);
show('integers', () => [0, -0, 7, -2147483648, 2147483647, 4294967295, String(-123), `${42}`]);
show('formats', () => [(123.456).toExponential(), (0).toExponential(), (1.5).toPrecision(3), (1234.5678).toFixed(2), (255).toString(16), (25).toString(36)]);
show('json', () => JSON.stringify({ a: 0.1, b: [1.5, -2.25e-8, 1e22] }));
// Many numbers at once, read back as a digest: a pseudo-random bit pattern
// for each double, so that every exponent and rounding case turns up.
show('digest', () => {
  const h = require('crypto').createHash('sha1');
  const f = new Float64Array(1), u = new Uint32Array(f.buffer);
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20000; i++) {
    u[0] = Math.floor(next() * 4294967296);
    u[1] = Math.floor(next() * 4294967296);
    h.update(String(f[0]) + ' ' + (i % 1000) / 10 + ' ' + next() * 1e6 + '\n');
  }
  return h.digest('hex');
});
// Other bases: fractions and integers past 2^53 in the base asked for, as V8
// writes them (QuickJS 2021 wrote them in base 10).
show('radix', () => [(0.5).toString(2), (255.5).toString(16), (-0.75).toString(36), (1 / 3).toString(3),
  Math.PI.toString(36), (2 ** 60).toString(16), (1e21).toString(36), (5e-324).toString(2).length,
  (0.999999999999).toString(8)]);
const bits = new Float64Array(1), words = new Uint32Array(bits.buffer);
let radixSeed = 7;
const radixNext = () => (radixSeed = (radixSeed * 1103515245 + 12345) % 2147483648) / 2147483648;
const radixHash = require('crypto').createHash('sha1');
for (let i = 0; i < 20000; i++) {   // exponents about 2^-80 to 2^80: fractions and big integers
  words[0] = Math.floor(radixNext() * 4294967296);
  words[1] = (Math.floor(radixNext() * 2) << 31 | (943 + Math.floor(radixNext() * 160)) << 20 |
              Math.floor(radixNext() * 1048576)) >>> 0;
  radixHash.update(bits[0].toString(2 + (i % 35)) + '\n');
}
show('radix digest', () => radixHash.digest('hex'));
// Appending: a string grows in place only while nothing else refers to it.
show('append loop', () => { let s = ''; for (let i = 0; i < 3000; i++) s += i; return [s.length, s.slice(-12)]; });
show('append wide', () => { let s = 'é'; for (let i = 0; i < 100; i++) s += 'x' + i; s += '✓'; return [s.length, s.slice(0, 6), s.slice(-4)]; });
show('append shared', () => { let s = 'ab'.repeat(20); const t = s; s += 'c'; s = s + 'd'; return [t.length, s.length, t.slice(-2), s.slice(-3)]; });
show('append self', () => { let s = 'xy'; s += s; s = s + s; return s; });
show('append captured', () => { let s = 'a'; const get = () => s; for (let i = 0; i < 5; i++) s += i; return get(); });
show('append symbol', () => { let s = 'kept'; try { s += Symbol('x'); } catch (e) { return [e.name, s]; } });
show('append object', () => { let s = 'v'; s += { toString() { s = 'changed'; return '!'; } }; return s; });
show('append property', () => { const o = { s: 'p' }; const before = o.s; for (let i = 0; i < 3; i++) o.s += i; return [before, o.s]; });
show('concat', () => 'a'.concat(1, 2.5, null, undefined, [3, 4], { toString: () => 'o' }));
show('template', () => { const x = 1.5, w = 'ü✓'; return `a${x}b${w}c${null}${[1, 2]}${''}`; });
show('template symbol', () => `a${Symbol('s')}`);
show('concat many', () => 'x'.concat(...Array.from({ length: 20 }, (_, i) => i)));
// Integers longer than 64 bits hold are read correctly rounded, as V8 reads them.
show('long integers', () => ['123456789012345680000', '123456789012345678901', '18446744073709551615',
  '18446744073709551616', '98765432109876543210987', '-99999999999999999999', '1' + '0'.repeat(30), '0x1fffffffffffff1',
].map((s) => [Number(s), JSON.parse(s[1] === 'x' ? '0' : s), parseFloat(s), parseInt(s, 10)].join(' ')).join(' | '));
show('long literal', () => [123456789012345680000, 98765432109876543210987, -18446744073709551617].join(' '));
console.log(out.join('\n'));
