// stream.js — the stream module's classes, pipe, pipeline and finished as
// apps and packages use them (jws's legacy Stream subclass too);
// tests/compat/stream.expected holds Node.js's answers.
const { Readable, Writable, Transform, PassThrough, pipeline, finished } = require('stream');
const Stream = require('stream');
const util = require('util');
const log = [];
function Legacy() { Stream.call(this); this.readable = true; }
util.inherits(Legacy, Stream);
(async () => {
  // Readable.from and for await
  const got = [];
  for await (const x of Readable.from(['a', 'b', 'c'])) got.push(x);
  log.push('from ' + got.join(''));
  // push-based readable, on data / end
  await new Promise((done) => {
    let i = 0;
    const r = new Readable({ read() { this.push(i < 3 ? String(i++) : null); } });
    const seen = [];
    r.on('data', (c) => seen.push(c.toString()));
    r.on('end', () => { log.push('data ' + seen.join(',') + ' end'); done(); });
  });
  // pipe to a writable with backpressure and final
  await new Promise((done) => {
    const chunks = [];
    const w = new Writable({ highWaterMark: 2, write(c, e, cb) { chunks.push(c.toString()); setTimeout(() => cb(), 1); }, final(cb) { log.push('final'); cb(); } });
    w.on('finish', () => { log.push('finish ' + chunks.join('')); done(); });
    Readable.from(['x', 'y', 'z', 'w']).pipe(w);
  });
  // transform in a pipeline
  await new Promise((done) => {
    const out = [];
    const upper = new Transform({ transform(c, e, cb) { cb(null, c.toString().toUpperCase()); }, flush(cb) { cb(null, '!'); } });
    const sink = new Writable({ write(c, e, cb) { out.push(c.toString()); cb(); } });
    pipeline(Readable.from(['ab', 'cd']), upper, new PassThrough(), sink, (err) => { log.push('pipeline ' + (err ? err.message : 'ok') + ' ' + out.join('')); done(); });
  });
  // errors: write after end, pipeline failure
  await new Promise((done) => {
    const w = new Writable({ write(c, e, cb) { cb(); } });
    w.on('error', (e) => { log.push('error ' + e.code); done(); });
    w.end('one');
    w.write('two');
  });
  await new Promise((done) => {
    const bad = new Transform({ transform(c, e, cb) { cb(new Error('boom')); } });
    pipeline(Readable.from(['q']), bad, new Writable({ write(c, e, cb) { cb(); } }), (err) => { log.push('pipeline error ' + err.message); done(); });
  });
  await require('stream').promises.pipeline(Readable.from(['p']), new Writable({ write(c, e, cb) { cb(); } }));
  log.push('promises.pipeline ok');
  // legacy inheritance (jws's DataStream)
  const l = new Legacy();
  log.push('legacy ' + (l instanceof Stream) + ' ' + (l instanceof require('events')) + ' ' + typeof l.pipe);
  // readable in paused mode with read()
  await new Promise((done) => {
    const r = new Readable({ read() {} });
    r.push('hello ');
    r.push('world');
    r.push(null);
    r.on('readable', () => { let c; while ((c = r.read()) !== null) log.push('read ' + c.toString()); });
    r.on('end', () => { log.push('read end'); done(); });
  });
  // finished
  await new Promise((done) => {
    const w = new Writable({ write(c, e, cb) { cb(); } });
    finished(w, (err) => { log.push('finished ' + (err || 'ok')); done(); });
    w.end('z');
  });
  // objectMode
  await new Promise((done) => {
    const objs = [];
    Readable.from([{ a: 1 }, { b: 2 }]).pipe(new Writable({ objectMode: true, write(o, e, cb) { objs.push(o); cb(); } })).on('finish', () => { log.push('objects ' + JSON.stringify(objs)); done(); });
  });
  console.log(log.join('\n'));
})();
