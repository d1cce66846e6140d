// regexp.js — RegExp.prototype.test answers as V8 does: lastIndex with the g and y flags,
// an own or inherited exec, a lastIndex that cannot be written, a non-RegExp this (QuickJS
// answers test() without the match's array: deps/quickjs/regexp-test.patch).
// tests/compat/regexp.expected holds Node.js's answers.
const r = /a(b)?/g;
console.log(r.test('xab'), r.lastIndex, r.test('xab'), r.lastIndex, r.test('xab'));
const s = /^x/y; s.lastIndex = 1; console.log(s.test('ax'), s.lastIndex, s.test('ax'), s.lastIndex);
const t = /q/; t.lastIndex = 5; console.log(t.test('q'), t.lastIndex);
const u = /z/; u.exec = () => ({}); console.log(u.test('a'));
class R extends RegExp { exec(s) { return s === 'yes' ? [] : null; } }
console.log(new R('n').test('yes'), new R('n').test('n'));
const v = /o/; Object.defineProperty(v, 'lastIndex', { value: 0, writable: false }); console.log(v.test('o'));
const w = /o/g; Object.defineProperty(w, 'lastIndex', { value: 0, writable: false }); try { w.test('o'); } catch (e) { console.log(e.name); }
try { RegExp.prototype.test.call({}, 'x'); } catch (e) { console.log(e.name); }
console.log(/\d+/.test({ toString() { return 'a1'; } }));
