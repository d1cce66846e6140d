// strings.js — case mapping as V8 does it: Latin-1 strings take a byte path
// in flx's QuickJS (deps/quickjs/string-case.patch), the rest Unicode's
// tables. tests/compat/strings.expected holds Node.js's answers.
const xs = ['', 'abc', 'ABC', 'Content-Type', 'ÀÉÎõü×÷', 'straße', 'µ', 'ÿ', 'İstanbul', 'ΣΑΣ', 'ǅ', 'ﬀ',
  'x\u0130y', 'Ünïcödé €', 'a\u00dfb', 'MiXeD 123 !?', 'ÿÿ mixed with ASCII', 'Ω wide then ABC'];
for (const s of xs)
  console.log(JSON.stringify([s, s.toLowerCase(), s.toUpperCase(), s.toLocaleLowerCase(), s.toLocaleUpperCase()]));
const latin1 = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
console.log(JSON.stringify(latin1.toLowerCase()));
console.log(JSON.stringify(latin1.toUpperCase()));
console.log(String.prototype.toLowerCase.call(12), String.prototype.toUpperCase.call(true));
try { String.prototype.toLowerCase.call(null); } catch (e) { console.log(e.name); }
