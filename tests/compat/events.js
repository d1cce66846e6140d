// events.js — EventEmitter's behaviour, printed; tests/compat/events.expected
// holds Node.js's answers.
const EventEmitter = require('events');
const out = [];
const e = new EventEmitter();
e.on('a', (x, y) => out.push('a1 ' + x + ' ' + y));
e.prependListener('a', () => out.push('a0'));
e.once('a', () => out.push('once'));
out.push('emit ' + e.emit('a', 1, 2));
out.push('emit ' + e.emit('a', 3, 4));
out.push('emit none ' + e.emit('none'));
out.push('count ' + e.listenerCount('a') + ' names ' + JSON.stringify(e.eventNames()));
const l = () => out.push('removed?');
e.on('b', l);
e.off('b', l);
out.push('after off ' + e.emit('b') + ' ' + e.listenerCount('b'));
try { e.emit('error', new Error('bad')); } catch (err) { out.push('error thrown ' + err.message); }
try { e.emit('error', 'plain'); } catch (err) { out.push('plain thrown ' + err.message); }
try { e.on('c', 42); } catch (err) { out.push(err.name + ' ' + err.code); }
class Sub extends EventEmitter {}
const s = new Sub();
s.on('x', function () { out.push('this is s ' + (this === s)); });
s.emit('x');
out.push('max ' + s.getMaxListeners() + ' instance ' + (s instanceof EventEmitter) + ' same ' + (EventEmitter.EventEmitter === EventEmitter));
e.removeAllListeners();
out.push('after removeAll ' + JSON.stringify(e.eventNames()));
console.log(out.join('\n'));
process.exit(0);
