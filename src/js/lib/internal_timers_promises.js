// internal_timers_promises.js — Node.js's `timers/promises`: setTimeout and
// setImmediate as promises, setInterval as an async iterator; each takes
// { signal } to be cancelled with an AbortSignal-like object, { ref }.
(function (module, exports, native) {
  'use strict';
  const timers = require('timers');

  function aborted(signal) {
    const e = new Error('The operation was aborted');
    e.name = 'AbortError';
    e.code = 'ABORT_ERR';
    if (signal && signal.reason !== undefined) e.cause = signal.reason;
    return e;
  }
  // start(resolve) returns the timer; the promise settles once.
  function later(start, clear, options) {
    const signal = options && options.signal;
    if (signal && signal.aborted) return Promise.reject(aborted(signal));
    return new Promise((resolve, reject) => {
      const t = start(resolve);
      if (options && options.ref === false && t && t.unref) t.unref();
      if (signal && signal.addEventListener)
        signal.addEventListener('abort', () => { clear(t); reject(aborted(signal)); }, { once: true });
    });
  }
  function setTimeout(delay, value, options) {
    return later((done) => timers.setTimeout(() => done(value), delay), timers.clearTimeout, options);
  }
  function setImmediate(value, options) {
    return later((done) => timers.setImmediate(() => done(value)), timers.clearImmediate, options);
  }
  // for await (const v of setInterval(ms, v)): each tick, until the loop ends.
  function setInterval(delay, value, options) {
    let pending = 0, waiting = null, done = false;
    const t = timers.setInterval(() => {
      if (waiting) { const w = waiting; waiting = null; w({ value, done: false }); } else pending++;
    }, delay);
    if (options && options.ref === false) t.unref();
    const finish = () => { done = true; timers.clearInterval(t); return Promise.resolve({ value: undefined, done: true }); };
    return {
      [Symbol.asyncIterator]() { return this; },
      next() {
        if (done) return Promise.resolve({ value: undefined, done: true });
        if (pending > 0) { pending--; return Promise.resolve({ value, done: false }); }
        return new Promise((resolve) => { waiting = resolve; });
      },
      return: finish,
    };
  }
  module.exports = { setTimeout, setImmediate, setInterval,
    scheduler: { wait: (delay, options) => setTimeout(delay, undefined, options), yield: () => setImmediate() } };
});
