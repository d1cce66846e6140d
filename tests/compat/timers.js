// timers.js — setImmediate, setTimeout, setInterval and their clear*
// functions, nextTick and microtasks, and the shape of process's clocks and
// memory; tests/compat/timers.expected holds Node.js's answers.
const out = [];
const cleared = setImmediate(() => out.push('cleared immediate ran'));
setImmediate((x, y) => {
  out.push('immediate a ' + x + y);
  Promise.resolve().then(() => out.push('microtask after a'));
  process.nextTick(() => out.push('tick after a'));
  setImmediate(() => out.push('immediate c, queued by a'));
}, 1, 2);
clearImmediate(cleared);
// Called back now (a tick, a microtask), a callback runs before the next
// immediate; a tick queued by a tick, after those queued before it.
setImmediate(() => {
  out.push('immediate d');
  process.nextTick(() => { out.push('tick d1'); process.nextTick(() => out.push('tick d3')); });
  process.nextTick(() => out.push('tick d2'));
});
setImmediate(() => {
  out.push('immediate e');
  Promise.resolve().then(() => out.push('microtask e'));
});
setImmediate(() => out.push('immediate f'));
const t = setTimeout(() => out.push('cleared timeout ran'), 5);
clearTimeout(t);
let n = 0;
setTimeout((s) => {
  out.push('timeout ' + s);
  const iv = setInterval(() => {
    out.push('interval ' + ++n);
    if (n === 3) {
      clearInterval(iv);
      report();
    }
  }, 2);
}, 40, 'late');

function report() {
  const start = process.hrtime();
  const big = process.hrtime.bigint();
  const mem = process.memoryUsage();
  out.push('hrtime ' + Array.isArray(start) + ' ' + start.length + ' ' + typeof big);
  const d = process.hrtime(start);
  out.push('hrtime diff ' + (d[0] >= 0 && d[1] >= 0));
  out.push('memory ' + ['rss', 'heapTotal', 'heapUsed', 'external'].map((k) => typeof mem[k]).join(' '));
  out.push('argv ' + process.argv.length + ' ' + (process.argv[1] || '').endsWith('timers.js'));
  out.push('listeners ' + typeof process.on + ' ' + (process.on('SIGTERM', () => {}) === process));
  console.log(out.join('\n'));
  process.exit(0);
}
Promise.resolve().then(() => out.push('microtask first'));
process.nextTick(() => out.push('tick first'));
