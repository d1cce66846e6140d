// globals.js — what Node.js 20 has without a require and QuickJS lacked
// (src/js/lib/internal_globals.js, deps/quickjs/error-cause.patch), and
// timers/promises; tests/compat/globals.expected holds Node.js's answers.
const out = [];
const show = (label, f) => {
  try { out.push(label + ' ' + JSON.stringify(f())); } catch (e) { out.push(label + ' throws ' + e.name + (e.code !== undefined ? ' ' + e.code : '')); }
};
show('at', () => [[1, 2, 3].at(-1), [1, 2, 3].at(5), [1, 2, 3].at('1'), 'abc'.at(-1), 'abc'.at(3), new Uint8Array([7, 8]).at(-2), [].at(0)]);
show('hasOwn', () => [Object.hasOwn({ a: 1 }, 'a'), Object.hasOwn({ a: 1 }, 'toString'), Object.hasOwn([1], 0)]);
show('hasOwn null', () => Object.hasOwn(null, 'a'));
show('findLast', () => [[1, 2, 3, 4].findLast((x) => x % 2 === 1), [1, 2].findLastIndex((x) => x > 5), new Int8Array([1, -2, 3]).findLast((x) => x < 0)]);
show('findLast not a function', () => [1].findLast(3));
show('toSorted', () => { const a = [3, 1, 2]; return [a.toSorted(), a, [10, 9, 1].toSorted((x, y) => y - x), [, 1].toSorted()]; });
show('toSorted bad', () => [1].toSorted('x'));
show('toReversed', () => { const a = [1, 2, 3]; return [a.toReversed(), a]; });
show('with', () => [[1, 2, 3].with(-1, 9), [1, 2, 3].with(0, 'a')]);
show('with out of range', () => [1].with(3, 0));
show('toSpliced', () => [[1, 2, 3, 4].toSpliced(1, 2, 'x'), [1, 2, 3].toSpliced(-1), [1, 2, 3].toSpliced(), [1, 2].toSpliced(5, 0, 'y')]);
show('typed copies', () => { const t = new Uint8Array([3, 1, 2]); return [Array.from(t.toSorted()), Array.from(t.toReversed()), Array.from(t.with(0, 7)), Array.from(t)]; });
show('names', () => [[].at.name, [].with.name, [].toSpliced.length, Object.hasOwn.length]);
show('enumerable', () => { const keys = []; for (const k in []) keys.push(k); return keys; });
show('structuredClone', () => {
  const shared = { s: 1 };
  const o = { n: 1, str: 'x', d: new Date(0), re: /a+/gi, m: new Map([[1, { k: 2 }]]), set: new Set(['a']), nested: [shared, shared],
    buf: new Uint8Array([1, 2]), big: 10n, u: undefined, nil: null, bool: new Boolean(false) };
  o.self = o;
  const c = structuredClone(o);
  return [c !== o, c.self === c, c.nested[0] === c.nested[1], c.nested[0] !== shared, c.d instanceof Date, c.d.getTime(),
    c.re.source + '/' + c.re.flags, c.m.get(1).k, [...c.set], Array.from(c.buf), c.buf.constructor.name, typeof c.big,
    'u' in c, c.nil, typeof c.bool, c.bool.valueOf()];
});
show('structuredClone class', () => { class P { constructor() { this.x = 1; } get y() { return 2; } } const c = structuredClone(new P()); return [c.constructor === Object, c.x, c.y]; });
show('structuredClone error', () => { const e = structuredClone(new RangeError('bad')); return [e instanceof RangeError, e.message, e.name]; });
show('structuredClone buffer', () => { const c = structuredClone(Buffer.from('hi')); return [c.constructor.name, Array.from(c)]; });
show('structuredClone function', () => structuredClone({ f() {} }));
show('structuredClone symbol', () => structuredClone(Symbol('s')));
show('TextEncoder', () => { const e = new TextEncoder(); const u = e.encode('hé✓'); return [e.encoding, u.constructor.name, Array.from(u), Array.from(e.encode())]; });
show('encodeInto', () => { const d = new Uint8Array(4); const r = new TextEncoder().encodeInto('aé✓', d); return [r, Array.from(d)]; });
show('TextDecoder', () => { const d = new TextDecoder(); return [d.encoding, d.decode(new Uint8Array([104, 195, 169])), d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]).buffer), d.decode(new Uint8Array([0x61, 0xff])), d.decode()]; });
show('TextDecoder fatal', () => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])));
show('TextDecoder bom kept', () => new TextDecoder('utf8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).length);
show('TextDecoder unknown', () => new TextDecoder('klingon'));
show('btoa atob', () => [btoa('hi'), btoa(''), btoa('\xff\xfe'), atob('aGk='), atob(' aG k '), atob('aGk'), atob('')]);
show('btoa wide', () => btoa('✓'));
show('atob bad', () => atob('a'));
show('atob bad char', () => atob('a*bc'));
show('performance', () => { const a = performance.now(), b = performance.now(); return [typeof a, a >= 0, b >= a, typeof performance.timeOrigin, Math.abs(performance.timeOrigin - Date.now()) < 60000]; });
show('error cause', () => [new Error('x', { cause: 'y' }).cause, Object.keys(new Error('x', { cause: 1 })), 'cause' in new Error('a'),
  new TypeError('t', { cause: 1 }).cause, new AggregateError([1], 'm', { cause: 2 }).cause,
  Object.prototype.hasOwnProperty.call(new Error('u', { cause: undefined }), 'cause')]);
show('captureStackTrace', () => {
  const o = { message: 'm' };
  Error.captureStackTrace(o);
  const prep = Error.prepareStackTrace;
  Error.prepareStackTrace = (e, sites) => sites;
  function inner() { const x = {}; Error.captureStackTrace(x); return x.stack; }
  function outer() { return skipped(); }
  function skipped() { const x = {}; Error.captureStackTrace(x, skipped); return x.stack; }
  const top = inner()[0], below = outer()[0];
  Error.prepareStackTrace = prep;
  return [typeof o.stack, o.stack.split('\n')[0], top.getFunctionName(), typeof top.getFileName(), top.isNative(), below.getFunctionName(),
    typeof Error.stackTraceLimit];
});
show('no leaks', () => ['define', 'clone', 'at', 'TypedArray'].map((n) => typeof globalThis[n]));
const tp = require('timers/promises');
(async () => {
  const t0 = Date.now();
  out.push('timers/promises setTimeout ' + (await tp.setTimeout(20, 'late')) + ' ' + (Date.now() - t0 >= 15));
  out.push('timers/promises setImmediate ' + (await tp.setImmediate('soon')));
  let n = 0;
  for await (const v of tp.setInterval(5, 'tick')) { if (++n === 3) { out.push('timers/promises setInterval ' + v + ' ' + n); break; } }
  out.push('timers/promises same ' + (require('node:timers/promises') === tp) + ' ' + typeof tp.scheduler.wait);
  console.log(out.join('\n'));
})();
