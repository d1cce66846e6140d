// timers.js — Node.js's `timers` and the global setTimeout/setInterval/
// setImmediate: what they return is a Timeout (or Immediate) with ref,
// unref, hasRef, refresh and close, which converts to its id as Node's does.
// The timers themselves are mod_timers.c's natives; an unreferenced one
// fires but does not keep the program running (flx exits when nothing is
// left, as node does).
(function (module, exports, native) {
  'use strict';
  const g = globalThis;
  const start = { timeout: g.setTimeout, interval: g.setInterval, immediate: g.setImmediate };
  const clear = g.clearTimeout;

  // A timeout keeps what it runs, so that refresh() after it fired starts it
  // again, as Node's does; clearing it for good makes refresh() do nothing.
  class Timeout {
    constructor(id, repeat, fn, ms, args) {
      this._id = id; this._repeat = repeat; this._ref = true;
      Object.defineProperty(this, '_run', { value: [fn, ms, args], writable: true });
    }
    ref() { this._ref = true; return this._at('ref', () => native.timerRef(this._id, true)); }
    unref() { this._ref = false; return this._at('unref', () => native.timerRef(this._id, false)); }
    hasRef() { return this._ref; }
    refresh() {
      return this._at('refresh', () => {
        if (this._run === null) return;   // cleared
        native.timerRefresh(this._id, ...this._run);
        if (!this._ref) native.timerRef(this._id, false);
      });
    }
    close() { clearTimeout(this); return this; }
    [Symbol.toPrimitive]() { return this._id; }
    // Here, or (a copy on another worker) on the worker whose loop holds it.
    _at(op, here) {
      if (this._home) this._home(op);
      else here();
      return this;
    }
    // A copy on another worker (a group's `t from main`) acts on the
    // original: _home calls back to the worker whose loop holds it.
    __flx_clone() {
      let home = this._home;
      if (!home) {
        home = (op) => (op === 'clear' ? clearTimeout(this) : this[op]());
        home.__flx_clone = () => native.remote(home);
      }
      return ['timers.Timeout', [this._id, this._repeat, home]];
    }
  }
  native.revivers['timers.Timeout'] = ([id, repeat, home]) => {
    const t = new Timeout(id, repeat, null, 0, null);
    t._home = home;
    return t;
  };
  class Immediate {
    constructor(id) { this._id = id; this._ref = true; }
    // An immediate runs at the next turn whatever its reference says.
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
  }

  const idOf = (t) => (t !== null && typeof t === 'object' ? t._id : t);
  function setTimeout(fn, ms, ...args) {
    return new Timeout(start.timeout(fn, ms, ...args), false, fn, ms, args);
  }
  function setInterval(fn, ms, ...args) {
    return new Timeout(start.interval(fn, ms, ...args), true, fn, ms, args);
  }
  function setImmediate(fn, ...args) { return new Immediate(start.immediate(fn, ...args)); }
  function clearTimeout(t) {
    if (t instanceof Timeout && t._home) return t._home('clear');
    if (t instanceof Timeout) t._run = null;
    if (t !== undefined && t !== null) clear(idOf(t));
  }

  Object.assign(g, { setTimeout, setInterval, setImmediate, clearTimeout,
    clearInterval: clearTimeout, clearImmediate: clearTimeout });
  module.exports = { setTimeout, setInterval, setImmediate, clearTimeout,
    clearInterval: clearTimeout, clearImmediate: clearTimeout, Timeout, Immediate };
});
