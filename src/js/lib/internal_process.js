// internal_process.js — what Node's `process` has beyond the natives of
// modules.c (env, cwd, exit, pid): argv, hrtime, memoryUsage, uptime,
// stdout and stderr, nextTick (its queue runs before promise jobs: the
// host's drain calls native.runTicks), events (process.on), and the global
// queueMicrotask.
// Signals: SIGINT/SIGTERM stop flx gracefully, unless some worker's process
// listens for them; then each worker's listeners are called, as Node does.
(function (module, exports, native) {
  'use strict';
  const EventEmitter = require('events');
  const p = globalThis.process;
  Object.setPrototypeOf(p, EventEmitter.prototype);
  EventEmitter.call(p);
  const started = native.hrtime();

  p.argv0 = 'flx';
  p.execPath = native.execPath;
  p.argv = [native.execPath, native.mainFile];
  p.execArgv = [];
  p.title = 'flx';
  p.platform = 'linux';
  p.arch = require('os').arch();
  p.version = 'v20.0.0';   // the Node.js API flx follows
  p.versions = { node: '20.0.0', flx: native.version };
  p.release = { name: 'node' };
  p.exitCode = undefined;

  function hrtime(prev) {
    const [s, ns] = native.hrtime();
    if (prev === undefined) return [s, ns];
    if (!Array.isArray(prev) || prev.length !== 2) {
      const e = new TypeError('The "time" argument must be an instance of Array.');
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    let ds = s - prev[0], dns = ns - prev[1];
    if (dns < 0) { ds -= 1; dns += 1e9; }
    return [ds, dns];
  }
  hrtime.bigint = () => { const [s, ns] = native.hrtime(); return BigInt(s) * 1000000000n + BigInt(ns); };
  p.hrtime = hrtime;
  p.uptime = () => { const [s, ns] = hrtime(started); return s + ns / 1e9; };

  function rss() {
    const statm = require('fs').readFileSync('/proc/self/statm', 'utf8').split(' ');
    return Number(statm[1]) * 4096;
  }
  p.memoryUsage = () => {
    const [heapTotal, heapUsed] = native.heap();
    return { rss: rss(), heapTotal, heapUsed, external: 0, arrayBuffers: 0 };
  };
  p.memoryUsage.rss = rss;

  // stdout and stderr: what apps and loggers write to (morgan's default,
  // debug's stderr), with Node's fd and isTTY. A write goes out at once.
  for (const [name, fd] of [['stdout', 1], ['stderr', 2]]) {
    const out = new EventEmitter();
    out.fd = fd;
    out.writable = true;
    if (native.isatty(fd)) out.isTTY = true;
    out.write = function (chunk, encoding, cb) {
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      const data = typeof chunk === 'string' && encoding && encoding !== 'utf8' && encoding !== 'utf-8'
        ? Buffer.from(chunk, encoding) : chunk;
      native.writeFd(fd, typeof data === 'string' || ArrayBuffer.isView(data) ? data : String(data));
      if (cb) p.nextTick(cb);
      return true;
    };
    out.end = function (chunk, encoding, cb) {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      if (chunk !== undefined && chunk !== null) out.write(chunk, encoding);
      if (cb) p.nextTick(cb);
      return out;
    };
    out.cork = out.uncork = () => {};
    out.getColorDepth = () => (out.isTTY ? 8 : 1);
    out.hasColors = (n) => out.isTTY === true && (n === undefined || n <= 256);
    p[name] = out;
  }
  p.emitWarning = (w) => console.error('(flx) ' + (w && w.name ? w.name + ': ' + w.message : 'Warning: ' + w));

  // nextTick's queue: whole, before the promise jobs, again after them.
  let ticks = [];
  p.nextTick = (fn, ...args) => {
    if (typeof fn !== 'function') {
      const e = new TypeError('The "callback" argument must be of type function. Received ' + typeof fn);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    ticks.push([fn, args]);
  };
  native.runTicks = () => {   // whether it ran any
    if (ticks.length === 0) return false;
    while (ticks.length) {
      const run = ticks;
      ticks = [];
      for (let i = 0; i < run.length; i++) {
        try {
          run[i][0].apply(undefined, run[i][1]);
        } catch (e) {
          ticks = run.slice(i + 1).concat(ticks);   // the rest still runs, later
          throw e;
        }
      }
    }
    return true;
  };

  // The host counts the listeners of every worker: a signal that none
  // listens for stops flx; one that some do goes to their listeners.
  const listening = { SIGINT: 0, SIGTERM: 0 };
  function recount() {
    for (const sig of Object.keys(listening)) {
      const n = p.listenerCount(sig);
      if (n !== listening[sig]) native.signalListeners(sig, n - listening[sig]);
      listening[sig] = n;
    }
  }
  for (const m of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener', 'off',
    'removeListener', 'removeAllListeners']) {
    const f = p[m];
    if (typeof f === 'function') p[m] = function (...args) { const r = f.apply(this, args); recount(); return r; };
  }

  globalThis.queueMicrotask = (fn) => {
    if (typeof fn !== 'function') {
      const e = new TypeError('The "callback" argument must be of type function. Received ' + typeof fn);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    Promise.resolve().then(() => fn());
  };
});
