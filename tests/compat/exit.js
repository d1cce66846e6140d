// exit.js — a program ends when nothing is left to do, as under node: no
// process.exit here. What setTimeout/setInterval/setImmediate return
// (Timeout, Immediate: ref, unref, hasRef, refresh (also once fired), a
// number as primitive),
// an unreferenced interval that does not keep the program running,
// server.close(), process.exitCode and the 'exit' event.
// tests/compat/exit.expected holds Node.js's answers.
const http = require('http');

const t = setTimeout(() => console.log('cleared: not printed'), 10);
console.log('timeout', typeof t, t.hasRef(), typeof t.ref, typeof t.unref, typeof t.refresh);
console.log('primitive', Number.isInteger(+t), +t > 0, `${t}` === String(+t));
console.log('unref returns it', t.unref() === t, t.hasRef(), t.ref().hasRef());
clearTimeout(t);

const im = setImmediate(() => console.log('immediate ran'));
console.log('immediate', typeof im, im.hasRef(), im.unref().hasRef(), im.ref().hasRef());

const iv = setInterval(() => {}, 1000);
iv.unref();   // alone, it would keep nothing running

const late = setTimeout(() => console.log('refreshed timeout ran once'), 160);
late.refresh();

// refresh() of a timeout that has fired starts it again; of a cleared one,
// nothing.
let fired = 0;
const twice = setTimeout((what) => console.log('fired', what, ++fired), 25, 'with its argument');
setTimeout(() => twice.refresh(), 70);
const gone = setTimeout(() => console.log('cleared, then refreshed: not printed'), 5);
clearTimeout(gone);
gone.refresh();

const server = http.createServer((req, res) => res.end('hi'));
server.listen(0, '127.0.0.1', () => {
  console.log('listening', server.listening);
  server.close((err) => {
    console.log('closed', err === undefined, server.listening);
    server.close((again) => console.log('closed again:', again && again.code));
  });
});

process.exitCode = 3;
process.on('exit', (code) => console.log('exit event', code));
