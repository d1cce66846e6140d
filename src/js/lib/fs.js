// fs.js — Node.js's `fs` for what web apps do with files: read, write,
// append, stat, readdir, unlink, mkdir (recursive too), rmdir, rename,
// exists, access, copyFile, realpath, createReadStream/createWriteStream,
// and file descriptors (open, read, write, fstat, fsync, close);
// each with its Sync variant and fs.promises. The system calls are
// synchronous natives; the callback forms call back at the next turn, as a
// continuation like any other.
(function (module, exports, native) {
  'use strict';
  const n = native.fs;
  const pathMod = require('path');
  const EventEmitter = require('events');

  const encodingOf = (o) => (typeof o === 'string' ? o : o && o.encoding) || null;
  const pathOf = (p) => (p instanceof URL ? require('url').fileURLToPath(p) : ArrayBuffer.isView(p) ? p.toString() : p);
  function checkPath(p) {
    p = pathOf(p);
    if (typeof p !== 'string') {
      const e = new TypeError('The "path" argument must be of type string or an instance of Buffer or URL. Received ' + (p === null ? 'null' : typeof p));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    return p;
  }
  function bytes(data, enc) {
    if (typeof data === 'string') return Buffer.from(data, enc || 'utf8');
    if (ArrayBuffer.isView(data)) return data;
    const e = new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ' + typeof data);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }

  // The natives' stat array, in order; a Stats crossing workers is that array.
  const STAT_FIELDS = ['mode', 'size', 'mtimeMs', 'atimeMs', 'ctimeMs', 'ino', 'nlink', 'uid', 'gid', 'dev'];
  class Stats {
    constructor(a) {
      STAT_FIELDS.forEach((k, i) => { this[k] = a[i]; });
      this.birthtimeMs = this.ctimeMs;
      // Node rounds the milliseconds (sendFile's ETag shows them).
      this.mtime = new Date(Math.round(this.mtimeMs)); this.atime = new Date(Math.round(this.atimeMs));
      this.ctime = new Date(Math.round(this.ctimeMs)); this.birthtime = new Date(Math.round(this.birthtimeMs));
      this.blksize = 4096; this.blocks = Math.ceil(this.size / 512); this.rdev = 0;
    }
    isFile() { return (this.mode & 0o170000) === 0o100000; }
    isDirectory() { return (this.mode & 0o170000) === 0o040000; }
    isSymbolicLink() { return (this.mode & 0o170000) === 0o120000; }
    isFIFO() { return (this.mode & 0o170000) === 0o010000; }
    isSocket() { return (this.mode & 0o170000) === 0o140000; }
    isBlockDevice() { return (this.mode & 0o170000) === 0o060000; }
    isCharacterDevice() { return (this.mode & 0o170000) === 0o020000; }
    // A Stats crossing to another worker keeps its methods (stat.isFile()).
    __flx_clone() { return ['fs.Stats', STAT_FIELDS.map((k) => this[k])]; }
  }
  class Dirent {
    constructor(name, dir) { this.name = name; this.path = this.parentPath = dir; this._st = null; }
    _stat() { return this._st || (this._st = new Stats(n.stat(pathMod.join(this.path, this.name), true))); }
    isFile() { return this._stat().isFile(); }
    isDirectory() { return this._stat().isDirectory(); }
    isSymbolicLink() { return this._stat().isSymbolicLink(); }
  }

  function mkdirp(p) {
    try { n.op('mkdir', p); return p; } catch (e) {
      if (e.code === 'EEXIST') { if (new Stats(n.stat(p)).isDirectory()) return undefined; throw e; }
      if (e.code !== 'ENOENT' || pathMod.dirname(p) === p) throw e;
      const first = mkdirp(pathMod.dirname(p));
      n.op('mkdir', p);
      return first || p;
    }
  }
  function rmrf(p) {
    let st;
    try { st = new Stats(n.stat(p, true)); } catch (e) { if (e.code === 'ENOENT') return; throw e; }
    if (st.isDirectory()) { for (const name of n.readdir(p)) rmrf(pathMod.join(p, name)); n.op('rmdir', p); }
    else n.op('unlink', p);
  }

  const sync = {
    readFileSync(p, options) {
      const b = Buffer.from(n.read(checkPath(p)));
      const enc = encodingOf(options);
      return enc ? b.toString(enc) : b;
    },
    writeFileSync(p, data, options) {
      const flag = options && options.flag;
      n.write(checkPath(p), bytes(data, encodingOf(options)), flag === 'a' || flag === 'a+');
    },
    appendFileSync(p, data, options) { n.write(checkPath(p), bytes(data, encodingOf(options)), true); },
    statSync(p, options) {
      try { return new Stats(n.stat(checkPath(p))); } catch (e) {
        if (options && options.throwIfNoEntry === false && e.code === 'ENOENT') return undefined;
        throw e;
      }
    },
    lstatSync(p) { return new Stats(n.stat(checkPath(p), true)); },
    readdirSync(p, options) {
      p = checkPath(p);
      const names = n.readdir(p).sort();
      return options && options.withFileTypes ? names.map((name) => new Dirent(name, p)) : names;
    },
    unlinkSync(p) { n.op('unlink', checkPath(p)); },
    rmdirSync(p, options) { if (options && options.recursive) rmrf(checkPath(p)); else n.op('rmdir', checkPath(p)); },
    rmSync(p, options) {
      p = checkPath(p);
      if (options && options.recursive) {
        if (!options.force && !sync.existsSync(p)) n.stat(p);
        return rmrf(p);
      }
      try { n.op('unlink', p); } catch (e) { if (!(options && options.force && e.code === 'ENOENT')) throw e; }
    },
    mkdirSync(p, options) {
      p = checkPath(p);
      if (options && (options.recursive || options === true)) return mkdirp(pathMod.resolve(p));
      n.op('mkdir', p);
      return undefined;
    },
    renameSync(a, b) { n.op('rename', checkPath(a), checkPath(b)); },
    copyFileSync(a, b) { n.op('copyfile', checkPath(a), checkPath(b)); },
    existsSync(p) { try { n.op('access', pathOf(p)); return true; } catch (e) { return false; } },
    accessSync(p) { n.op('access', checkPath(p)); },
    realpathSync(p) { return n.op('realpath', checkPath(p)); },
    // File descriptors: for what writes carefully (open, write, fsync, close).
    openSync(p, flags, mode) { return n.open(checkPath(p), openFlags(flags), mode === undefined ? 0o666 : parseMode(mode)); },
    closeSync(fd) { n.fd('close', checkFd(fd)); },
    fsyncSync(fd) { n.fd('fsync', checkFd(fd)); },
    fdatasyncSync(fd) { n.fd('fdatasync', checkFd(fd)); },
    fstatSync(fd) { return new Stats(n.fd('fstat', checkFd(fd))); },
    // readSync(fd, buffer[, offset[, length[, position]]]) or (fd, buffer, {offset, length, position})
    readSync(fd, buffer, offset, length, position) {
      if (offset !== null && typeof offset === 'object') ({ offset, length, position } = offset);
      offset = offset || 0;
      if (length === undefined) length = buffer.byteLength - offset;
      return n.io(false, checkFd(fd), buffer, offset, length, position);
    },
    // writeSync(fd, buffer[, offset[, length[, position]]]) or (fd, string[, position[, encoding]])
    writeSync(fd, data, offset, length, position) {
      if (typeof data === 'string') {
        const b = Buffer.from(data, typeof length === 'string' ? length : 'utf8');
        return n.io(true, checkFd(fd), b, 0, b.length, offset);
      }
      offset = offset || 0;
      if (length === undefined) length = data.byteLength - offset;
      return n.io(true, checkFd(fd), data, offset, length, position);
    },
  };

  // Node's flag strings as open(2) flags.
  const FLAGS = { r: 0, 'r+': 2, 'rs+': 2 | 0o4010000, w: 0o1101, wx: 0o1301, 'w+': 0o1102, 'wx+': 0o1302,
                  a: 0o2101, ax: 0o2301, 'a+': 0o2102, 'ax+': 0o2302, as: 0o4012101, 'as+': 0o4012102 };
  function openFlags(f) {
    if (f === undefined || f === null) return 0;
    if (typeof f === 'number') return f;
    if (Object.prototype.hasOwnProperty.call(FLAGS, f)) return FLAGS[f];
    const e = new TypeError("The argument 'flags' is invalid. Received '" + f + "'");
    e.code = 'ERR_INVALID_ARG_VALUE';
    throw e;
  }
  const parseMode = (m) => (typeof m === 'string' ? parseInt(m, 8) : m);
  function checkFd(fd) {
    if (!Number.isInteger(fd) || fd < 0) {
      const e = new TypeError('The "fd" argument must be of type number. Received ' + (fd === null ? 'null' : typeof fd));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    return fd;
  }

  // callback forms: fs.readFile(path[, options], cb)
  const fs = Object.assign({}, sync);
  for (const name of Object.keys(sync)) {
    if (name === 'existsSync') continue;
    const fn = sync[name], base = name.slice(0, -4);
    fs[base] = function (...args) {
      const cb = args.pop();
      if (typeof cb !== 'function') {
        const e = new TypeError('The "cb" argument must be of type function. Received ' + typeof cb);
        e.code = 'ERR_INVALID_ARG_TYPE';
        throw e;
      }
      let result, error = null;
      try { result = fn(...args); } catch (e) { error = e; }
      setImmediate(() => (error ? cb(error) : cb(null, result)));
    };
  }
  fs.exists = (p, cb) => { const r = sync.existsSync(p); setImmediate(() => cb(r)); };
  // fs.read and fs.write call back with (err, bytes, buffer).
  for (const name of ['read', 'write']) {
    fs[name] = function (fd, buffer, ...rest) {
      const cb = rest.pop();
      let bytes, error = null;
      try { bytes = sync[name + 'Sync'](fd, buffer, ...rest); } catch (e) { error = e; }
      setImmediate(() => (error ? cb(error) : cb(null, bytes, buffer)));
    };
  }
  fs.realpathSync.native = fs.realpathSync;

  fs.promises = {};
  const handles = ['openSync', 'closeSync', 'fsyncSync', 'fdatasyncSync', 'fstatSync', 'readSync', 'writeSync'];
  for (const name of Object.keys(sync)) {
    if (name === 'existsSync' || handles.includes(name)) continue;   // no FileHandle in fs.promises
    const fn = sync[name];
    fs.promises[name.slice(0, -4)] = (...args) => new Promise((resolve, reject) => {
      setImmediate(() => { try { resolve(fn(...args)); } catch (e) { reject(e); } });
    });
  }

  // Streams: a file read whole, given as one chunk; a write stream that
  // appends each write.
  fs.createReadStream = function (p, options) {
    const s = new EventEmitter();
    const enc = encodingOf(options);
    s.path = p;
    s.readable = true;
    s.pipe = function (dest) { s.on('data', (c) => dest.write(c)); s.on('end', () => dest.end()); return dest; };
    s.destroy = s.close = () => s;
    s.setEncoding = () => s;
    setImmediate(() => {
      let data;
      try { data = sync.readFileSync(p); } catch (e) { s.emit('error', e); return; }
      const start = options && options.start || 0, end = options && options.end !== undefined ? options.end + 1 : data.length;
      s.emit('open'); s.emit('ready');
      const part = data.subarray(start, end);
      if (part.length) s.emit('data', enc ? part.toString(enc) : part);
      s.readable = false;
      s.emit('end'); s.emit('close');
    });
    return s;
  };
  fs.createWriteStream = function (p, options) {
    const s = new EventEmitter();
    const flags = options && options.flags || 'w';
    let opened = false;
    s.path = p;
    s.bytesWritten = 0;
    s.write = (chunk, enc, cb) => {
      if (typeof enc === 'function') { cb = enc; enc = undefined; }
      const b = bytes(chunk, enc);
      n.write(p, b, opened || flags[0] === 'a');
      opened = true;
      s.bytesWritten += b.length;
      if (cb) setImmediate(cb);
      return true;
    };
    s.end = (chunk, enc, cb) => {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      if (chunk !== undefined && chunk !== null) s.write(chunk, enc);
      else if (!opened) { n.write(p, Buffer.alloc(0), flags[0] === 'a'); opened = true; }
      setImmediate(() => { s.emit('finish'); s.emit('close'); if (cb) cb(); });
      return s;
    };
    s.destroy = s.close = () => s;
    return s;
  };
  fs.Stats = Stats;
  native.revivers['fs.Stats'] = (a) => new Stats(a);
  fs.Dirent = Dirent;
  fs.constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_APPEND: 1024 };
  module.exports = fs;
});
