// stream.js — Node.js's `stream` for what apps and their packages use: the
// legacy Stream (an EventEmitter with pipe, the base many packages' streams
// inherit from), Readable, Writable, Duplex, Transform, PassThrough,
// pipeline, finished and stream/promises' pipeline. Readable flows or is
// read; writes queue one at a time, with backpressure by highWaterMark.
// Events are emitted in a later tick, as Node's are.
(function (module, exports) {
  'use strict';
  const EventEmitter = require('events');
  const { Buffer } = require('buffer');

  const tick = (fn, ...args) => process.nextTick(fn, ...args);
  // The options' highWaterMark, else 16 objects or 16 KiB.
  function highWaterMark(o, objectMode) {
    return o.highWaterMark !== undefined ? o.highWaterMark : (objectMode ? 16 : 16384);
  }

  function codeError(code, message) {
    const e = new Error(message);
    e.code = code;
    return e;
  }
  const sizeOf = (state, chunk) => (state.objectMode ? 1 : chunk.length);

  // ---- the legacy Stream -----------------------------------------------------
  function Stream(opts) {
    EventEmitter.call(this, opts);
  }
  Object.setPrototypeOf(Stream.prototype, EventEmitter.prototype);
  Object.setPrototypeOf(Stream, EventEmitter);
  Stream.prototype.pipe = function (dest, options) {
    const source = this;
    let done = false;
    const ondata = (chunk) => { if (dest.writable && dest.write(chunk) === false && source.pause) source.pause(); };
    const ondrain = () => { if (source.readable && source.resume) source.resume(); };
    const onend = () => { if (!done) { done = true; dest.end(); } };
    const onclose = () => { if (!done) { done = true; if (typeof dest.destroy === 'function') dest.destroy(); } };
    source.on('data', ondata);
    dest.on('drain', ondrain);
    if (!options || options.end !== false) {
      source.on('end', onend);
      source.on('close', onclose);
    }
    dest.emit('pipe', source);
    return dest;
  };

  // ---- Readable ----------------------------------------------------------------
  function Readable(options) {
    if (!(this instanceof Readable)) return new Readable(options);
    Stream.call(this, options);
    const o = options || {};
    this._readableState = {
      objectMode: Boolean(o.objectMode || o.readableObjectMode), highWaterMark: highWaterMark(o, o.objectMode),
      buffer: [], length: 0, flowing: null, ended: false, endEmitted: false, reading: false,
      scheduled: false, encoding: o.encoding || null, destroyed: false,
      readCalled: false, readableTold: false,   // read() was called; 'readable' told of the end
    };
    if (typeof o.read === 'function') this._read = o.read;
    if (typeof o.destroy === 'function') this._destroy = o.destroy;
    this.readable = true;
  }
  Object.setPrototypeOf(Readable.prototype, Stream.prototype);
  Object.setPrototypeOf(Readable, Stream);

  Readable.prototype._read = function () {
    throw codeError('ERR_METHOD_NOT_IMPLEMENTED', 'The _read() method is not implemented');
  };
  Readable.prototype.push = function (chunk, encoding) {
    const s = this._readableState;
    if (chunk === null) {
      s.ended = true;
      s.reading = false;
      schedule(this);
      return false;
    }
    if (s.ended) {
      this.emit('error', codeError('ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'));
      return false;
    }
    if (!s.objectMode && typeof chunk === 'string') chunk = Buffer.from(chunk, encoding);
    if (s.encoding && !s.objectMode && Buffer.isBuffer(chunk)) chunk = chunk.toString(s.encoding);
    s.reading = false;
    s.buffer.push(chunk);
    s.length += sizeOf(s, chunk);
    schedule(this);
    return s.length < s.highWaterMark;
  };
  Readable.prototype.unshift = function (chunk) {
    const s = this._readableState;
    s.buffer.unshift(chunk);
    s.length += sizeOf(s, chunk);
    schedule(this);
  };
  // What the stream does next, once per tick: emit the buffer while it
  // flows, tell 'readable' listeners, ask for more, or end.
  function schedule(stream) {
    const s = stream._readableState;
    if (s.scheduled) return;
    s.scheduled = true;
    tick(() => { s.scheduled = false; step(stream); });
  }
  function step(stream) {
    const s = stream._readableState;
    if (s.destroyed) return;
    while (s.flowing && s.buffer.length) {
      const chunk = s.buffer.shift();
      s.length -= sizeOf(s, chunk);
      stream.emit('data', chunk);
    }
    if (!s.flowing && s.buffer.length && stream.listenerCount('readable')) stream.emit('readable');
    if (s.ended) {
      if (s.buffer.length === 0 && !s.endEmitted) {
        if (!s.flowing && stream.listenerCount('readable') && !s.readableTold) {
          s.readableTold = true;
          stream.emit('readable');
        }
        if (s.flowing || s.readableTold || s.readCalled) {
          s.endEmitted = true;
          stream.readable = false;
          stream.emit('end');
          if (stream._writableState === undefined || stream._writableState.finished) stream.destroy();
        }
      }
      return;
    }
    if (!s.reading && s.length < s.highWaterMark && (s.flowing || s.readCalled || stream.listenerCount('readable'))) {
      s.reading = true;
      try {
        stream._read(s.objectMode ? 1 : s.highWaterMark);
      } catch (e) {
        stream.destroy(e);
      }
      if (s.flowing && s.buffer.length) schedule(stream);
    }
  }
  Readable.prototype.read = function () {
    const s = this._readableState;
    s.readCalled = true;
    schedule(this);
    if (s.buffer.length === 0) return null;
    let out;
    if (s.objectMode) out = s.buffer.shift();
    else if (s.encoding) out = s.buffer.splice(0).join('');
    else out = Buffer.concat(s.buffer.splice(0));
    s.length = s.objectMode ? s.buffer.length : 0;
    return out;
  };
  Readable.prototype.on = function (event, fn) {
    const r = Stream.prototype.on.call(this, event, fn);
    const s = this._readableState;
    if (event === 'data' && s.flowing !== false) this.resume();
    else if (event === 'readable') schedule(this);
    return r;
  };
  Readable.prototype.addListener = Readable.prototype.on;
  Readable.prototype.resume = function () {
    this._readableState.flowing = true;
    schedule(this);
    return this;
  };
  Readable.prototype.pause = function () {
    if (this._readableState.flowing !== false) {
      this._readableState.flowing = false;
      this.emit('pause');
    }
    return this;
  };
  Readable.prototype.isPaused = function () { return this._readableState.flowing === false; };
  Readable.prototype.setEncoding = function (encoding) {
    const s = this._readableState;
    s.encoding = encoding;
    s.buffer = s.buffer.map((c) => (Buffer.isBuffer(c) ? c.toString(encoding) : c));
    return this;
  };
  Readable.prototype.pipe = function (dest, options) {
    const source = this;
    const ondata = (chunk) => {
      if (dest.write(chunk) === false) {
        source.pause();
        dest.once('drain', () => source.resume());
      }
    };
    source.on('data', ondata);
    if (!options || options.end !== false) source.once('end', () => dest.end());
    dest.emit('pipe', source);
    source.resume();
    return dest;
  };
  Readable.prototype.unpipe = function () {
    this.removeAllListeners('data');
    return this;
  };
  // Either side's destroy: both sides stop, _destroy runs, then 'error' (if
  // any) and 'close'.
  function destroy(err, cb) {
    const r = this._readableState, w = this._writableState;
    if ((r || w).destroyed) return this;
    if (r) r.destroyed = true;
    if (w) w.destroyed = true;
    this._destroy(err || null, (e) => {
      tick(() => {
        if (e) this.emit('error', e);
        this.emit('close');
        if (cb) cb(e);
      });
    });
    return this;
  }
  const destroyNothing = function (err, cb) { cb(err); };
  Readable.prototype.destroy = destroy;
  Readable.prototype._destroy = destroyNothing;
  Readable.prototype[Symbol.asyncIterator] = function () {
    const stream = this, chunks = [];
    let waiting = null, error = null, ended = false;
    const wake = () => { if (waiting) { const w = waiting; waiting = null; w(); } };
    stream.on('data', (c) => { chunks.push(c); wake(); });
    stream.on('end', () => { ended = true; wake(); });
    stream.on('error', (e) => { error = e; wake(); });
    return {
      next() {
        return new Promise((resolve, reject) => {
          const answer = () => {
            if (chunks.length) resolve({ value: chunks.shift(), done: false });
            else if (error) reject(error);
            else if (ended) resolve({ value: undefined, done: true });
            else waiting = answer;
          };
          answer();
        });
      },
      return() { stream.destroy(); return Promise.resolve({ value: undefined, done: true }); },
      [Symbol.asyncIterator]() { return this; },
    };
  };
  for (const [name, get] of [['readableEnded', (s) => s.endEmitted], ['readableLength', (s) => s.length],
    ['readableFlowing', (s) => s.flowing], ['readableObjectMode', (s) => s.objectMode],
    ['readableHighWaterMark', (s) => s.highWaterMark], ['destroyed', (s) => s.destroyed]])
    Object.defineProperty(Readable.prototype, name, { configurable: true, get() { return get(this._readableState); } });
  Readable.from = function (iterable, options) {
    const it = iterable[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
    let reading = false;
    return new Readable(Object.assign({ objectMode: true }, options, {
      read() {
        if (reading) return;
        reading = true;
        Promise.resolve(it.next()).then(({ value, done }) => {
          reading = false;
          this.push(done ? null : value);
        }, (e) => this.destroy(e));
      },
    }));
  };

  // ---- Writable ----------------------------------------------------------------
  function Writable(options) {
    if (!(this instanceof Writable) && !(this instanceof Duplex)) return new Writable(options);
    Stream.call(this, options);
    initWritable(this, options);
  }
  function initWritable(stream, options) {
    const o = options || {};
    const objectMode = Boolean(o.objectMode || o.writableObjectMode);
    stream._writableState = {
      objectMode, highWaterMark: highWaterMark(o, objectMode),
      decodeStrings: o.decodeStrings !== false, queue: [], length: 0, writing: false, ending: false,
      finished: false, finishing: false, needDrain: false, destroyed: false,
    };
    if (typeof o.write === 'function') stream._write = o.write;
    if (typeof o.final === 'function') stream._final = o.final;
    if (typeof o.destroy === 'function') stream._destroy = o.destroy;
    stream.writable = true;
  }
  Object.setPrototypeOf(Writable.prototype, Stream.prototype);
  Object.setPrototypeOf(Writable, Stream);
  Writable.prototype._write = function () {
    throw codeError('ERR_METHOD_NOT_IMPLEMENTED', 'The _write() method is not implemented');
  };
  Writable.prototype.write = function (chunk, encoding, cb) {
    const s = this._writableState;
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (s.ending) {
      const e = codeError('ERR_STREAM_WRITE_AFTER_END', 'write after end');
      tick(() => { if (cb) cb(e); this.emit('error', e); });
      return false;
    }
    if (!s.objectMode && typeof chunk === 'string' && s.decodeStrings) { chunk = Buffer.from(chunk, encoding); encoding = 'buffer'; }
    s.queue.push([chunk, encoding || (Buffer.isBuffer(chunk) ? 'buffer' : 'utf8'), cb]);
    s.length += sizeOf(s, chunk);
    const ok = s.length < s.highWaterMark;
    if (!ok) s.needDrain = true;
    if (!s.writing) writeNext(this);
    return ok;
  };
  function writeNext(stream) {
    const s = stream._writableState;
    if (s.destroyed) return;
    if (s.queue.length === 0) {
      if (s.needDrain) { s.needDrain = false; stream.emit('drain'); }
      if (s.ending && !s.finished && !s.finishing) finish(stream);
      return;
    }
    const [chunk, encoding, cb] = s.queue.shift();
    s.writing = true;
    let called = false;
    stream._write(chunk, encoding, (err) => {
      if (called) return;
      called = true;
      tick(() => {
        s.writing = false;
        s.length -= sizeOf(s, chunk);
        if (cb) cb(err || null);
        if (err) return stream.destroy(err);
        writeNext(stream);
      });
    });
  }
  function finish(stream) {
    const s = stream._writableState;
    s.finishing = true;
    const done = (err) => {
      if (err) return stream.destroy(err);
      s.finished = true;
      stream.writable = false;
      tick(() => {
        stream.emit('finish');
        const r = stream._readableState;
        if (!r || r.endEmitted) stream.destroy();
      });
    };
    if (typeof stream._final === 'function') stream._final(done);
    else done();
  }
  Writable.prototype.end = function (chunk, encoding, cb) {
    const s = this._writableState;
    if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
    else if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    if (cb) this.once('finish', cb);
    if (!s.ending) {
      s.ending = true;
      if (!s.writing) tick(() => writeNext(this));
    }
    return this;
  };
  Writable.prototype.cork = function () {};
  Writable.prototype.uncork = function () {};
  Writable.prototype.setDefaultEncoding = function () { return this; };
  Writable.prototype.destroy = destroy;
  Writable.prototype._destroy = destroyNothing;
  for (const [name, get] of [['writableEnded', (s) => s.ending], ['writableFinished', (s) => s.finished],
    ['writableLength', (s) => s.length], ['writableObjectMode', (s) => s.objectMode],
    ['writableHighWaterMark', (s) => s.highWaterMark], ['writableNeedDrain', (s) => s.needDrain],
    ['destroyed', (s) => s.destroyed]])
    Object.defineProperty(Writable.prototype, name, { configurable: true, get() { return get(this._writableState); } });

  // ---- Duplex, Transform, PassThrough -------------------------------------
  function Duplex(options) {
    if (!(this instanceof Duplex)) return new Duplex(options);
    Readable.call(this, options);
    initWritable(this, options);
    if (options && options.allowHalfOpen === false) this.once('end', () => this.end());
  }
  Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
  Object.setPrototypeOf(Duplex, Readable);
  for (const name of ['write', 'end', 'cork', 'uncork', 'setDefaultEncoding', '_write'])
    Duplex.prototype[name] = Writable.prototype[name];
  for (const name of ['writableEnded', 'writableFinished', 'writableLength', 'writableObjectMode',
    'writableHighWaterMark', 'writableNeedDrain'])
    Object.defineProperty(Duplex.prototype, name, Object.getOwnPropertyDescriptor(Writable.prototype, name));

  function Transform(options) {
    if (!(this instanceof Transform)) return new Transform(options);
    Duplex.call(this, options);
    if (options && typeof options.transform === 'function') this._transform = options.transform;
    if (options && typeof options.flush === 'function') this._flush = options.flush;
  }
  Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
  Object.setPrototypeOf(Transform, Duplex);
  Transform.prototype._transform = function () {
    throw codeError('ERR_METHOD_NOT_IMPLEMENTED', 'The _transform() method is not implemented');
  };
  Transform.prototype._write = function (chunk, encoding, cb) {
    this._transform(chunk, encoding, (err, data) => {
      if (data !== undefined && data !== null) this.push(data);
      cb(err);
    });
  };
  Transform.prototype._final = function (cb) {
    const end = (err, data) => {
      if (data !== undefined && data !== null) this.push(data);
      this.push(null);
      cb(err);
    };
    if (typeof this._flush === 'function') this._flush(end);
    else end();
  };
  Transform.prototype._read = function () {};

  function PassThrough(options) {
    if (!(this instanceof PassThrough)) return new PassThrough(options);
    Transform.call(this, options);
  }
  Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
  Object.setPrototypeOf(PassThrough, Transform);
  PassThrough.prototype._transform = function (chunk, encoding, cb) { cb(null, chunk); };

  // ---- pipeline and finished ---------------------------------------------------
  // cb once stream has ended (its readable side read to the end, its
  // writable side finished: options.readable/writable false skip one), or
  // with the error that stopped it.
  function finished(stream, options, cb) {
    if (typeof options === 'function') { cb = options; options = {}; }
    const readable = options.readable !== false && stream._readableState !== undefined && stream.readable !== false;
    const writable = options.writable !== false && stream._writableState !== undefined;
    let called = false;
    const done = (err) => { if (!called) { called = true; cb(err); } };
    const complete = () => (!readable || stream.readableEnded) && (!writable || stream.writableFinished);
    stream.on('error', done);
    if (writable) stream.on('finish', () => { if (complete()) done(); });
    if (readable) stream.on('end', () => { if (complete()) done(); });
    stream.on('close', () => {
      if (!complete()) done(codeError('ERR_STREAM_PREMATURE_CLOSE', 'Premature close'));
    });
    return () => {};
  }
  // Each stream piped into the next; cb when the last has finished writing,
  // or at the first error, every stream then destroyed.
  function pipeline(...streams) {
    const cb = typeof streams[streams.length - 1] === 'function' ? streams.pop() : () => {};
    if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
    let settled = false;
    const settle = (err) => {
      if (settled) return;
      settled = true;
      if (err) for (const s of streams) if (typeof s.destroy === 'function' && !s.destroyed) s.destroy();
      tick(cb, err);
    };
    const last = streams.length - 1;
    streams.forEach((stream, i) => {
      if (i < last) stream.pipe(streams[i + 1]);
      finished(stream, { readable: i < last, writable: i > 0 }, (err) => {
        if (err) settle(err);
        else if (i === last) settle();
      });
    });
    return streams[last];
  }
  const promises = {
    pipeline: (...streams) => new Promise((resolve, reject) => pipeline(...streams, (e) => (e ? reject(e) : resolve()))),
    finished: (stream, options) => new Promise((resolve, reject) => finished(stream, options || {}, (e) => (e ? reject(e) : resolve()))),
  };

  Stream.Stream = Stream;
  Object.assign(Stream, { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, promises });
  module.exports = Stream;
});
