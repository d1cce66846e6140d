// events.js — Node.js's `events` module: EventEmitter. A module factory:
// (module, exports) as under CommonJS.
(function (module, exports) {
  'use strict';

  function EventEmitter() {
    EventEmitter.init.call(this);
  }

  EventEmitter.init = function () {
    if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events)
      this._events = Object.create(null);
    this._maxListeners = this._maxListeners || undefined;
  };

  EventEmitter.defaultMaxListeners = 10;

  function add(target, name, listener, prepend) {
    if (typeof listener !== 'function') {
      const e = new TypeError('The "listener" argument must be of type function. Received ' +
                              (listener === null ? 'null' : 'type ' + typeof listener));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    if (target._events === undefined) EventEmitter.init.call(target);
    if (target._events.newListener !== undefined)
      target.emit('newListener', name, listener.listener ? listener.listener : listener);
    const list = target._events[name];
    if (list === undefined) target._events[name] = [listener];
    else if (prepend) list.unshift(listener);
    else list.push(listener);
    return target;
  }

  const proto = EventEmitter.prototype;
  proto._events = undefined;
  proto._maxListeners = undefined;
  proto.setMaxListeners = function (n) { this._maxListeners = n; return this; };
  proto.getMaxListeners = function () {
    return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners;
  };
  proto.on = proto.addListener = function (name, l) { return add(this, name, l, false); };
  proto.prependListener = function (name, l) { return add(this, name, l, true); };

  function onceWrapper(target, name, listener) {
    const wrapped = function (...args) {
      target.removeListener(name, wrapped);
      return listener.apply(target, args);
    };
    wrapped.listener = listener;
    return wrapped;
  }
  proto.once = function (name, l) { return add(this, name, onceWrapper(this, name, l), false); };
  proto.prependOnceListener = function (name, l) {
    return add(this, name, onceWrapper(this, name, l), true);
  };

  proto.off = proto.removeListener = function (name, listener) {
    const list = this._events && this._events[name];
    if (list === undefined) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) delete this._events[name];
        if (this._events.removeListener !== undefined)
          this.emit('removeListener', name, listener);
        break;
      }
    }
    return this;
  };

  proto.removeAllListeners = function (name) {
    if (this._events === undefined) return this;
    if (name === undefined) this._events = Object.create(null);
    else delete this._events[name];
    return this;
  };

  proto.emit = function (name, ...args) {
    const list = this._events && this._events[name];
    if (list === undefined) {
      if (name === 'error') {
        const er = args[0];
        if (er instanceof Error) throw er;
        const shown = typeof er === 'string' ? "'" + er + "'" : String(er);   /* as inspect */
        const e = new Error('Unhandled error.' + (er === undefined ? '' : ' (' + shown + ')'));
        e.code = 'ERR_UNHANDLED_ERROR';
        e.context = er;
        throw e;
      }
      return false;
    }
    for (const l of list.slice()) l.apply(this, args);
    return true;
  };

  proto.listeners = function (name) {
    const list = this._events && this._events[name];
    return list ? list.map((l) => l.listener || l) : [];
  };
  proto.rawListeners = function (name) {
    const list = this._events && this._events[name];
    return list ? list.slice() : [];
  };
  proto.listenerCount = function (name) {
    const list = this._events && this._events[name];
    return list ? list.length : 0;
  };
  proto.eventNames = function () {
    return this._events ? Reflect.ownKeys(this._events) : [];
  };

  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.once = function (emitter, name) {
    return new Promise((resolve) => emitter.once(name, (...args) => resolve(args)));
  };
  module.exports = EventEmitter;
})
