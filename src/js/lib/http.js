// http.js — Node.js's `http` server side: createServer, IncomingMessage,
// ServerResponse, STATUS_CODES, METHODS. Built on the native handle of
// mod_http.c (info, body, respond, head, write, end, state, id), which
// crosses workers by identity; the objects here cross as their own state
// (__flx_clone) and are rebuilt around the same handle on the other side.
(function (module, exports, native) {
  'use strict';
  const EventEmitter = require('events');

  const STATUS_CODES = native.statusCodes;   // the runtime's, which its status lines use
  const METHODS = ['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD',
    'LINK', 'LOCK', 'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE',
    'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY',
    'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK',
    'UNLOCK', 'UNSUBSCRIBE'];

  // State that is the object's machinery, not the application's: it is not
  // copied when the object crosses.
  const INTERNAL_NAMES = ['_events', '_eventsCount', '_maxListeners', '_flx', 'socket',
    'connection', 'req', 'res', 'next', 'app', 'client'];
  const INTERNAL = new Set(INTERNAL_NAMES);

  function snapshot(obj) {
    const out = {};
    for (const k of Object.keys(obj))
      if (!INTERNAL.has(k) && typeof obj[k] !== 'function') out[k] = obj[k];
    return out;
  }

  // What a copy held when it arrived, and whether something was put on it
  // since (an object it did not hold then): Express goes on routing where
  // that happened, so that it stays one object (express.js, crossable).
  // (The clone hands __flx_revived the objects it put on the copy.)
  function arrived(o, held) { o._flx.arrived = held; }
  function changedHere(o) {
    const then = o._flx && o._flx.arrived;
    if (!then) return false;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (v !== null && typeof v === 'object' && !then.includes(v) && !INTERNAL.has(k)) return true;
    }
    return false;
  }

  // Prototypes by name, for objects whose class a module adds (Express's
  // request and response); the module registers a resolver.
  // (Remembered: a worker sees the same few tags on every request.)
  const protoResolvers = {};
  const protos = { req: new Map(), res: new Map() };
  function protoFor(tag, kind) {
    if (!tag) return null;
    let proto = protos[kind].get(tag);
    if (proto === undefined) {
      const at = tag.indexOf(':');
      const resolve = protoResolvers[tag.slice(0, at)];
      proto = resolve ? resolve(tag.slice(at + 1), kind) : null;
      protos[kind].set(tag, proto);
    }
    return proto;
  }

  // Node joins repeated headers with ', ' (cookie with '; '), keeps set-cookie
  // as an array, and keeps only the first of some.
  const SINGLE = new Set(['age', 'authorization', 'content-length', 'content-type', 'etag',
    'expires', 'from', 'host', 'if-modified-since', 'if-unmodified-since', 'last-modified',
    'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after', 'server',
    'user-agent']);
  function headersOf(raw, lower) {
    const h = {};
    for (let i = 0; i < raw.length; i += 2) {
      const name = lower[i >> 1], value = raw[i + 1];
      if (!(name in h)) h[name] = name === 'set-cookie' ? [value] : value;
      else if (name === 'set-cookie') h[name].push(value);
      else if (name === 'cookie') h[name] += '; ' + value;
      else if (!SINGLE.has(name)) h[name] += ', ' + value;
    }
    return h;
  }

  // What an app reads of a request's socket; libflx owns the connection.
  class Socket {
    constructor(remoteAddress) {
      this.remoteAddress = remoteAddress;
      this.remotePort = 0;
      this.encrypted = false;
    }
    destroy() {}
    setTimeout() {}
    on() { return this; }
    once() { return this; }
    removeListener() { return this; }
  }

  class IncomingMessage extends EventEmitter {
    constructor(handle) {
      super();
      const info = handle.info(), raw = info[2];   // method, url, raw, remote, lower
      IncomingMessage.attach(this, handle, info[3]);
      this.method = info[0];
      this.url = info[1];
      this.headers = headersOf(raw, info[4]);
      this.rawHeaders = raw;
      this.httpVersion = '1.1';
      this.httpVersionMajor = 1;
      this.httpVersionMinor = 1;
      this.complete = true;
      this.aborted = false;
      this.trailers = {};
    }
    // The machinery around the handle, without the application's
    // properties (a request revived on another worker gets those copied).
    static attach(req, handle, remote) {
      Object.defineProperty(req, '_flx', {
        value: { h: handle, remote, flowing: false, done: false, encoding: null },
        writable: true, configurable: true,
      });
      req.socket = req.connection = new Socket(remote);
    }
    get readable() { return !this._flx.done; }
    get readableEnded() { return this._flx.done; }
    _flxBody() { return Buffer.from(this._flx.h.body()); }
    setEncoding(enc) { this._flx.encoding = enc; return this; }
    // The body is whole already: it flows at the next turn once someone reads.
    _flow() {
      if (this._flx.flowing || this._flx.done) return;
      this._flx.flowing = true;
      setImmediate(() => {
        if (this._flx.done) return;
        this._flx.done = true;
        const body = this._flxBody();
        if (body.length) this.emit('data', this._flx.encoding ? body.toString(this._flx.encoding) : body);
        this.emit('end');
        this.emit('close');
      });
    }
    on(name, fn) {
      super.on(name, fn);
      if (name === 'data' || name === 'end' || name === 'readable') this._flow();
      return this;
    }
    resume() { this._flow(); return this; }
    pause() { return this; }
    read() {
      if (this._flx.done) return null;
      this._flx.done = true;
      const body = this._flxBody();
      setImmediate(() => { this.emit('end'); this.emit('close'); });
      return body.length ? body : null;
    }
    pipe(dest) {
      this.on('data', (c) => dest.write(c));
      this.on('end', () => { if (dest.end) dest.end(); });
      return dest;
    }
    unpipe() { return this; }
    destroy() { return this; }
    setTimeout() { return this; }
    async *[Symbol.asyncIterator]() {
      if (this._flx.done) return;
      this._flx.done = true;
      const body = this._flxBody();
      if (body.length) yield body;
    }
    __flx_clone() {
      return ['http.req', { h: this._flx.h, remote: this._flx.remote, proto: this.__flx_proto },
        this, INTERNAL_NAMES];
    }
    __flx_merge(other) { Object.assign(this, snapshot(other)); }
    __flx_revived(held) { arrived(this, held); }
  }
  IncomingMessage.prototype.addListener = IncomingMessage.prototype.on;

  function httpError(code, message) {
    const e = new Error(message);
    e.code = code;
    return e;
  }

  class ServerResponse extends EventEmitter {
    constructor(handle, req) {
      super();
      ServerResponse.attach(this, handle);
      this.statusCode = 200;
      this.statusMessage = undefined;
      this._headers = {};   // lower-case name → [name as set, value]
      this.sendDate = true;
      if (req) { this.req = req; }
    }
    static attach(res, handle) {
      Object.defineProperty(res, '_flx', {
        value: { h: handle, sent: false, fixed: false, ended: false, untoldIn: -1, chunks: null },
        writable: true, configurable: true,
      });
    }
    get headersSent() { return this._flx.fixed || this._headOut(); }
    // Whether the head has left, from this copy or any other.
    _headOut() { return this._flx.sent || this._flx.h.state() > 0; }
    // Node's internals that packages reach for: _implicitHeader() writes the
    // head with the status so far (end() and write() call it first, so a
    // writeHead that on-headers wrapped runs: express-session saves there,
    // morgan notes the time), and _header, the head's text once written.
    _implicitHeader() { this.writeHead(this.statusCode); }
    get _header() {
      if (!this._flx.fixed) return null;
      let head = `HTTP/1.1 ${this.statusCode} ${this.statusMessage || STATUS_CODES[this.statusCode] || 'unknown'}\r\n`;
      const flat = this._flat();
      for (let i = 0; i < flat.length; i += 2) head += flat[i] + ': ' + flat[i + 1] + '\r\n';
      return head + '\r\n';
    }
    get finished() { return this._flx.ended || this._flx.h.state() === 2; }
    get writableEnded() { return this.finished; }
    get writableFinished() { return this.finished; }
    setHeader(name, value) {
      if (this.headersSent)
        throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
      if (value === undefined) {
        const e = new TypeError(`Invalid value "undefined" for header "${name}"`);
        e.code = 'ERR_HTTP_INVALID_HEADER_VALUE';
        throw e;
      }
      this._headers[String(name).toLowerCase()] = [String(name), value];
      return this;
    }
    appendHeader(name, value) {
      const prev = this.getHeader(name);
      if (prev === undefined) return this.setHeader(name, value);
      return this.setHeader(name, [].concat(prev, value));
    }
    getHeader(name) {
      const e = this._headers[String(name).toLowerCase()];
      return e ? e[1] : undefined;
    }
    getHeaders() {
      const out = Object.create(null);
      for (const k in this._headers) out[k] = this._headers[k][1];
      return out;
    }
    getHeaderNames() { return Object.keys(this._headers); }
    hasHeader(name) { return String(name).toLowerCase() in this._headers; }
    removeHeader(name) {
      if (this.headersSent)
        throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
      delete this._headers[String(name).toLowerCase()];
    }
    writeHead(status, message, headers) {
      if (this.headersSent)
        throw httpError('ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent to the client');
      if (typeof message !== 'string') { headers = message; message = undefined; }
      this.statusCode = status;
      if (message) this.statusMessage = message;
      if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
      } else if (headers) {
        for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
      }
      this._flx.fixed = true;   // as Node: no header may change once the head is written
      return this;
    }
    // (Indexed, not destructured: QuickJS destructures through an iterator,
    // which cost more than the rest of the loop.)
    _flat() {
      const flat = [];
      for (const k in this._headers) {
        const e = this._headers[k], name = e[0], value = e[1];
        if (Array.isArray(value)) for (let i = 0; i < value.length; i++) flat.push(name, String(value[i]));
        else flat.push(name, String(value));
      }
      return flat;
    }
    _check(rc) {
      if (rc === 0) return true;
      if (rc === 'EALREADY') return false;
      throw httpError('ERR_HTTP', 'http: ' + rc);
    }
    flushHeaders() {
      if (this._headOut()) return;
      if (!this._flx.fixed) this._implicitHeader();
      this._flx.sent = true;
      this._check(this._flx.h.head(this.statusCode, this._flat(), this.statusMessage));
    }
    write(chunk, encoding, cb) {
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      if (this.finished) {
        const e = httpError('ERR_STREAM_WRITE_AFTER_END', 'write after end');
        setImmediate(() => { if (this.listenerCount('error')) this.emit('error', e); else console.error(e.stack); });
        return false;
      }
      if (typeof chunk === 'string' && encoding && encoding !== 'utf8' && encoding !== 'utf-8')
        chunk = Buffer.from(chunk, encoding);
      this.flushHeaders();
      this._check(this._flx.h.write(chunk));
      if (cb) setImmediate(cb);
      return true;
    }
    end(chunk, encoding, cb) {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
      if (this.finished) return this;   // as Node: a second end does nothing
      if (typeof chunk === 'string' && encoding && encoding !== 'utf8' && encoding !== 'utf-8')
        chunk = Buffer.from(chunk, encoding);
      if (this._headOut()) {
        if (chunk !== undefined && chunk !== null && chunk.length) this._check(this._flx.h.write(chunk));
        this._check(this._flx.h.end());
      } else {
        if (!this._flx.fixed) this._implicitHeader();
        this._flx.sent = true;
        this._check(this._flx.h.respond(this.statusCode, this._flat(), chunk, this.statusMessage));
      }
      this._flx.ended = true;
      if (cb || this._flx.origin || this._flx.elsewhere || this._listensForEnd())
        this._tellEnded(cb);
      else   // no one to tell yet, as most have: no turn to schedule unless one
        this._flx.untoldIn = native.turn();   // comes before this turn is over
      return this;
    }
    _listensForEnd() {
      const ev = this._events;
      return Boolean(ev && (ev.finish || ev.close));
    }
    // 'finish' and 'close' at the turn after end(), to listeners here, the
    // callback, the original (if this is a copy) and the copies that listen.
    _tellEnded(cb) {
      this._flx.untoldIn = -1;
      const origin = this._flx.origin;
      setImmediate(() => {
        this._finished();
        if (cb) cb();
        if (origin) origin();
      });
    }
    // A listener for the end added after end() but before the next turn is
    // told, as Node's are.
    _listened(name) {
      if ((name === 'finish' || name === 'close') && this._flx.untoldIn === native.turn())
        this._tellEnded();
    }
    setTimeout() { return this; }
    assignSocket() {}
    __flx_clone() {
      // The request goes along: a continuation given only res still has res.req.
      const d = { h: this._flx.h, proto: this.__flx_proto, req: this.req };
      // Listeners stay with the original: a copy that ends the response tells
      // it, and it emits 'finish' and 'close' to them (a logger's
      // res.on('finish') registered before the handler ran elsewhere).
      if (this._flx.origin) d.origin = this._flx.origin;
      else if (this._listensForEnd() || this._flx.elsewhere) d.origin = this._endedElsewhere();
      return ['http.res', d, this, INTERNAL_NAMES];
    }
    __flx_revived(held) { arrived(this, held); }
    _endedElsewhere() {
      if (!this._flx.onEnded) {
        const ended = () => {
          if (this._flx.ended) return;
          this._flx.ended = true;
          this._finished();
        };
        ended.__flx_clone = () => native.remote(ended, null, this._flx.h, undefined, true);
        this._flx.onEnded = ended;
      }
      return this._flx.onEnded;
    }
    // 'finish' and 'close' here, and to the copies elsewhere that listen.
    _finished() {
      this.emit('finish'); this.emit('close');
      for (const tell of this._flx.elsewhere || []) tell();
    }
    // A copy coming back (a middleware run on main's worker called next):
    // its properties, and if it listens for the end, a call back to it.
    __flx_merge(other) {
      Object.assign(this, snapshot(other));
      const tell = other._flx && other._flx.origin;
      if (tell && tell !== this._flx.onEnded) {
        (this._flx.elsewhere = this._flx.elsewhere || []).push(tell);
        if (this._flx.untoldIn === native.turn()) this._tellEnded();
      }
    }
  }
  for (const m of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener']) {
    const add = EventEmitter.prototype[m];
    ServerResponse.prototype[m] = function (name, listener) {
      add.call(this, name, listener);
      this._listened(name);
      return this;
    };
  }

  // Rebuilt on another worker around the same handle (the clone then copies
  // the original's properties onto it); a request and its response in one
  // message are linked again.
  function revive(kind) {
    const cls = kind === 'req' ? IncomingMessage : ServerResponse;
    return function (d, session) {
      const o = Object.create(protoFor(d.proto, kind) || cls.prototype);
      cls.attach(o, d.h, d.remote);
      if (d.origin) o._flx.origin = d.origin;
      const key = 'http:' + d.h.id(), pair = session[key] || (session[key] = {});
      pair[kind] = o;
      if (kind === 'res' && d.req) pair.req = d.req;
      if (pair.req && pair.res) { pair.res.req = pair.req; pair.req.res = pair.res; }
      return o;
    };
  }
  native.revivers['http.req'] = revive('req');
  native.revivers['http.res'] = revive('res');
  native.revivers['http.Server'] = ([port, index, listening]) => {
    const s = new Server();
    Object.assign(s, { _port: port, _index: index, listening });
    return s;
  };

  class Server extends EventEmitter {
    constructor(options, listener) {
      super();
      if (typeof options === 'function') { listener = options; options = {}; }
      this._listener = listener;
      this.listening = false;
      this._port = 0;
    }
    listen(...args) {
      let port = 0, host = null, cb = null;
      for (const a of args) {
        if (typeof a === 'function') cb = a;
        else if (typeof a === 'number' || (typeof a === 'string' && /^\d+$/.test(a))) port = Number(a);
        else if (typeof a === 'string') host = a;
        else if (a && typeof a === 'object') { if (a.port !== undefined) port = Number(a.port); if (a.host) host = a.host; }
      }
      if (cb) this.once('listening', cb);
      const listener = this._listener;
      try {
        [this._port, this._index] = native.listen(port, host, listener);
      } catch (e) {
        // As Node: 'error', thrown if no one listens, and then the program
        // ends with 1 (flx goes on only while something else is left).
        setImmediate(() => {
          if (this.listenerCount('error') === 0) process.exitCode = 1;
          this.emit('error', e);
        });
        return this;
      }
      this.listening = true;
      process.nextTick(() => this.emit('listening'));
      return this;
    }
    address() { return { address: '::', family: 'IPv6', port: this._port }; }
    // A copy on another worker is the same server: close() closes it there too.
    __flx_clone() { return ['http.Server', [this._port, this._index, this.listening]]; }
    // Node's close(): no new connections; idle ones end now, busy ones after
    // their answers; then 'close'. A server not listening calls back with
    // ERR_SERVER_NOT_RUNNING.
    close(cb) {
      if (!this.listening || !native.closeServer(this._index)) {
        if (cb) {
          const e = new Error('Server is not running.');
          e.code = 'ERR_SERVER_NOT_RUNNING';
          process.nextTick(cb, e);
        }
        return this;
      }
      this.listening = false;
      if (cb) this.once('close', cb);
      process.nextTick(() => this.emit('close'));
      return this;
    }
    setTimeout() { return this; }
  }

  // A request on this worker: the objects, then the listener (an app, or a
  // placeholder that sends them to a fluxion).
  function serve(handle, listener) {
    const req = new IncomingMessage(handle), res = new ServerResponse(handle, req);
    listener(req, res);
  }

  module.exports = {
    STATUS_CODES, METHODS, IncomingMessage, ServerResponse, Server,
    createServer: (options, listener) => new Server(options, listener),
    __serve: serve,
    __protoResolvers: protoResolvers,
    __changedHere: changedHere,
  };
});
