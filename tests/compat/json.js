// json.js — JSON.parse's errors must read as V8's (src/js/lib/internal_globals.js
// rewords QuickJS's), and what JSON does not allow must be refused as node
// refuses it; tests/compat/json.expected holds Node.js's answers.
const cases = ['', ' ', '{', '{"a"', '{"a":', '{"a":1', '{"a":1,', '[1', '[1,', '[1,]', '"abc', '"a\nb"', '"\\x"', '"\\u12"', '"\\u12g4"', '-', '-a', '1e', '1e+', '1.', '1.e', '1 2', 'tru', 'trux', 'nul', 'n', 'fals', '{"a" 1}', '{1:2}', "{'a':1}", '{"a":1,"b"}', '[1 2]', '{"a":1 "b":2}', '01', '00', '-01', '"a"x', '{"a":1}"b"', '["a" "b"]', '"a":1', 'undefined', 'NaN', 'Infinity', '[object Object]', 'abc', 'hello world this is long text', '{"key": "value", "other": tru}', '{"key": "value", "other": [1, 2, 3, }', '   {"a":1}   x', '[', ']', '}', ':', ',', '{"a":}', '{"a":,}', '[,1]', '{,}', '{"a"::1}', '"\t"', '"\\', '"\\u', '1x', '.5', '+1', '0x10', '1e5x', '[-]', '{"a":-}', '"abc\u0001"', 'true false', '[true false]', '{"a":true "b"}', '{"a":{"b":[1,2,{"c":x}]}}', 'ab', 'x'.repeat(30), '{"a":1}'.repeat(5), '[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,x]', 'null x', '[null,]', '{"a":null,}', '"\u2028"', '\u00a0{}', '{"\u00e9":1', '[1e400]', '[1e-400, 2]'];
const out = [];
for (const c of cases) { try { JSON.parse(c); out.push(JSON.stringify(c) + ' ok'); } catch (e) { out.push(JSON.stringify(c) + ' ' + e.name + ': ' + e.message); } }
for (const v of [undefined, {}, null, 12, [1, 2]]) { try { JSON.parse(v); out.push(String(v) + ' ok'); } catch (e) { out.push(String(v) + ' ' + e.name + ': ' + e.message); } }
const leniencies = ['1.', '-01', '1.e5', '[1.]', '{"a":1.}', '2.e-3', '"\\a"', '"\\\'"', '"a\\\\b"', '"v1.2 and 3."', '"-0 and -01"'];
for (const c of leniencies) { try { out.push(JSON.stringify(c) + ' -> ' + JSON.stringify(JSON.parse(c))); } catch (e) { out.push(JSON.stringify(c) + ' ' + e.name + ': ' + e.message); } }
out.push('reviver ' + JSON.stringify(JSON.parse('{"a":1,"b":[2]}', (k, v) => (typeof v === 'number' ? v * 10 : v))));
out.push('reviver throws ' + (() => { try { JSON.parse('[1]', () => { throw new SyntaxError('mine'); }); } catch (e) { return e.message; } })());
out.push('name ' + JSON.parse.name + ' ' + JSON.parse.length);
// Mutations of valid documents, read back as a digest of every answer.
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (a) => a[Math.floor(rnd() * a.length)];
const docs = ['{"a":1,"b":[true,false,null],"c":{"d":"e\\n\\u00e9"}}', '[1,-2.5e3,0,"x",{"y":[]}]', '"plain string"', '12345', '{"long":"' + 'abcdefghij'.repeat(4) + '","z":[1,2,3]}'];
const bits = ['{', '}', '[', ']', ',', ':', '"', '\\', 'a', '1', '0', '-', '.', 'e', '+', ' ', '\n', 't', 'n', 'u', '\u0001', 'x', "'"];
const digest = require('crypto').createHash('sha1');
for (let k = 0; k < 10000; k++) {
  let s = pick(docs);
  for (let o = 1 + Math.floor(rnd() * 3); o > 0; o--) {
    const at = Math.floor(rnd() * (s.length + 1)), r = rnd();
    if (r < 0.35) s = s.slice(0, at) + s.slice(at + 1);
    else if (r < 0.7) s = s.slice(0, at) + pick(bits) + s.slice(at);
    else if (r < 0.85) s = s.slice(0, at);
    else s = s.slice(0, at) + pick(bits) + s.slice(at + 1);
  }
  try { digest.update('ok ' + JSON.stringify(JSON.parse(s)) + '\n'); } catch (e) { digest.update(e.name + ': ' + e.message + '\n'); }
}
out.push('mutations ' + digest.digest('hex'));
console.log(out.join('\n'));
