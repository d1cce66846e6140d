// buffer.js — Node.js's Buffer: a Uint8Array with encodings (utf8, hex,
// base64, base64url, latin1, ascii, utf16le). UTF-8 is converted natively.
(function (module, exports, native) {
  'use strict';
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const B64DEC = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) B64DEC[B64.charCodeAt(i)] = i;
  B64DEC[45] = 62; B64DEC[95] = 63;   // base64url's - and _

  function normEncoding(enc) {
    if (enc === undefined || enc === null) return 'utf8';
    switch (String(enc).toLowerCase()) {
      case 'utf8': case 'utf-8': return 'utf8';
      case 'hex': return 'hex';
      case 'base64': return 'base64';
      case 'base64url': return 'base64url';
      case 'latin1': case 'binary': return 'latin1';
      case 'ascii': return 'ascii';
      case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
    }
    const e = new TypeError('Unknown encoding: ' + enc);
    e.code = 'ERR_UNKNOWN_ENCODING';
    throw e;
  }

  function bytesOf(string, enc) {
    switch (normEncoding(enc)) {
      case 'utf8': return new Uint8Array(native.utf8Encode(string));
      case 'hex': {
        const n = string.length >>> 1, out = new Uint8Array(n);
        let i = 0;
        for (; i < n; i++) {
          const v = parseInt(string.substr(i * 2, 2), 16);
          if (Number.isNaN(v)) break;
          out[i] = v;
        }
        return i === n ? out : out.subarray(0, i);
      }
      case 'base64': case 'base64url': {
        const out = new Uint8Array((string.length * 3) >>> 2);
        let bits = 0, nbits = 0, n = 0;
        for (let i = 0; i < string.length; i++) {
          const c = string.charCodeAt(i), v = c < 128 ? B64DEC[c] : -1;
          if (v < 0) { if (c === 61) break; continue; }   // '=' ends it; spaces skipped
          bits = (bits << 6) | v; nbits += 6;
          if (nbits >= 8) { nbits -= 8; out[n++] = (bits >> nbits) & 255; }
        }
        return out.subarray(0, n);
      }
      case 'latin1': case 'ascii': {
        const out = new Uint8Array(string.length);
        for (let i = 0; i < string.length; i++) out[i] = string.charCodeAt(i) & 255;
        return out;
      }
      case 'utf16le': {
        const out = new Uint8Array(string.length * 2);
        for (let i = 0; i < string.length; i++) {
          const c = string.charCodeAt(i);
          out[i * 2] = c & 255; out[i * 2 + 1] = c >> 8;
        }
        return out;
      }
    }
  }

  function stringOf(bytes, enc, start, end) {
    switch (normEncoding(enc)) {
      case 'utf8': return native.utf8Decode(bytes, start, end);
      case 'hex': {
        let s = '';
        for (let i = start; i < end; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
        return s;
      }
      case 'base64': case 'base64url': {
        const url = normEncoding(enc) === 'base64url', alpha = url ? B64URL : B64;
        let s = '', i = start;
        for (; i + 2 < end; i += 3) {
          const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
          s += alpha[v >> 18] + alpha[(v >> 12) & 63] + alpha[(v >> 6) & 63] + alpha[v & 63];
        }
        if (end - i === 1) {
          const v = bytes[i] << 16;
          s += alpha[v >> 18] + alpha[(v >> 12) & 63] + (url ? '' : '==');
        } else if (end - i === 2) {
          const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
          s += alpha[v >> 18] + alpha[(v >> 12) & 63] + alpha[(v >> 6) & 63] + (url ? '' : '=');
        }
        return s;
      }
      case 'latin1': case 'ascii': {
        const ascii = normEncoding(enc) === 'ascii';
        let s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(ascii ? bytes[i] & 127 : bytes[i]);
        return s;
      }
      case 'utf16le': {
        let s = '';
        for (let i = start; i + 1 < end; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
        return s;
      }
    }
  }

  function invalidArg(name, value) {
    const type = value === null || value === undefined ? String(value)
      : typeof value === 'object' || typeof value === 'function'
        ? 'an instance of ' + ((value.constructor && value.constructor.name) || 'Object')
        : 'type ' + typeof value + ' (' + (typeof value === 'string' ? "'" + value + "'" : String(value)) + ')';
    const e = new TypeError('The first argument must be of type string or an instance of Buffer, ' +
                            'ArrayBuffer, or Array or an Array-like Object. Received ' + type);
    e.code = 'ERR_INVALID_ARG_TYPE';
    return e;
  }

  class Buffer extends Uint8Array {
    static from(value, encOrOffset, length) {
      if (typeof value === 'string') return wrap(bytesOf(value, encOrOffset));
      if (value instanceof ArrayBuffer) {
        const off = encOrOffset >>> 0;
        return new Buffer(value, off, length === undefined ? value.byteLength - off : length);
      }
      if (ArrayBuffer.isView(value)) {
        const b = new Buffer(value.length);
        b.set(value);
        return b;
      }
      if (value && typeof value === 'object') {
        if (value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.from(value.data);
        if (typeof value.length === 'number' || Array.isArray(value)) {
          const b = new Buffer(value.length >>> 0);
          for (let i = 0; i < b.length; i++) b[i] = value[i] & 255;
          return b;
        }
      }
      throw invalidArg('value', value);
    }
    static alloc(size, fill, enc) {
      const b = new Buffer(size);
      if (fill !== undefined && fill !== 0) b.fill(fill, 0, b.length, enc);
      return b;
    }
    static allocUnsafe(size) { return new Buffer(size); }
    static allocUnsafeSlow(size) { return new Buffer(size); }
    static isBuffer(b) { return b instanceof Buffer; }
    static isEncoding(enc) { try { normEncoding(enc); return typeof enc === 'string'; } catch (e) { return false; } }
    static byteLength(v, enc) {
      if (typeof v === 'string') return normEncoding(enc) === 'utf8' ? native.utf8Length(v) : bytesOf(v, enc).length;
      return v.byteLength;
    }
    static concat(list, total) {
      if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
      const out = Buffer.alloc(total);
      let at = 0;
      for (const b of list) {
        if (at >= total) break;
        const part = b.length > total - at ? b.subarray(0, total - at) : b;
        out.set(part, at);
        at += part.length;
      }
      return out;
    }
    static compare(a, b) { return a.compare(b); }

    toString(enc, start, end) {
      start = start === undefined ? 0 : Math.max(0, start | 0);
      end = end === undefined ? this.length : Math.min(this.length, end | 0);
      if (end <= start) return '';
      return stringOf(this, enc, start, end);
    }
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
    equals(other) { return this.compare(other) === 0; }
    compare(other) {
      const n = Math.min(this.length, other.length);
      for (let i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
      return this.length < other.length ? -1 : this.length > other.length ? 1 : 0;
    }
    slice(start, end) { return this.subarray(start, end); }
    subarray(start, end) {
      const u = Uint8Array.prototype.subarray.call(this, start, end);
      return new Buffer(u.buffer, u.byteOffset, u.length);
    }
    write(string, offset, length, enc) {
      if (typeof offset === 'string') { enc = offset; offset = 0; length = undefined; }
      else if (typeof length === 'string') { enc = length; length = undefined; }
      offset = offset >>> 0;
      const bytes = bytesOf(string, enc);
      const n = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : length);
      this.set(bytes.subarray(0, n), offset);
      return n;
    }
    copy(target, targetStart, sourceStart, sourceEnd) {
      targetStart = targetStart >>> 0; sourceStart = sourceStart >>> 0;
      sourceEnd = sourceEnd === undefined ? this.length : sourceEnd;
      const part = this.subarray(sourceStart, Math.min(sourceEnd, sourceStart + target.length - targetStart));
      target.set(part, targetStart);
      return part.length;
    }
    fill(value, start, end, enc) {
      if (typeof start === 'string') { enc = start; start = 0; end = this.length; }
      start = start === undefined ? 0 : start; end = end === undefined ? this.length : end;
      if (typeof value === 'string') {
        const bytes = bytesOf(value, enc);
        if (bytes.length === 0) return Uint8Array.prototype.fill.call(this, 0, start, end);
        for (let i = start, k = 0; i < end; i++, k = (k + 1) % bytes.length) this[i] = bytes[k];
        return this;
      }
      return Uint8Array.prototype.fill.call(this, value & 255, start, end);
    }
    indexOf(value, from, enc) {
      const needle = typeof value === 'number' ? [value & 255]
                   : typeof value === 'string' ? bytesOf(value, enc) : value;
      from = from === undefined ? 0 : from < 0 ? Math.max(0, this.length + from) : from;
      outer: for (let i = from; i <= this.length - needle.length; i++) {
        for (let k = 0; k < needle.length; k++) if (this[i + k] !== needle[k]) continue outer;
        return i;
      }
      return -1;
    }
    includes(value, from, enc) { return this.indexOf(value, from, enc) !== -1; }
    readUInt8(o = 0) { return this[o]; }
    readUInt16BE(o = 0) { return (this[o] << 8) | this[o + 1]; }
    readUInt16LE(o = 0) { return this[o] | (this[o + 1] << 8); }
    readUInt32BE(o = 0) { return ((this[o] << 24) >>> 0) + ((this[o + 1] << 16) | (this[o + 2] << 8) | this[o + 3]); }
    readUInt32LE(o = 0) { return ((this[o + 3] << 24) >>> 0) + ((this[o + 2] << 16) | (this[o + 1] << 8) | this[o]); }
    readInt32BE(o = 0) { return (this[o] << 24) | (this[o + 1] << 16) | (this[o + 2] << 8) | this[o + 3]; }
    writeUInt8(v, o = 0) { this[o] = v; return o + 1; }
    writeUInt16BE(v, o = 0) { this[o] = v >>> 8; this[o + 1] = v; return o + 2; }
    writeUInt32BE(v, o = 0) { this[o] = v >>> 24; this[o + 1] = v >>> 16; this[o + 2] = v >>> 8; this[o + 3] = v; return o + 4; }
  }
  Buffer.poolSize = 8192;
  // Node's util.inspect shows <Buffer 68 69>.
  Buffer.prototype.inspect = function () {
    let s = '';
    for (let i = 0; i < Math.min(this.length, 50); i++) s += ' ' + (this[i] < 16 ? '0' : '') + this[i].toString(16);
    return '<Buffer' + s + (this.length > 50 ? ' ... ' + (this.length - 50) + ' more bytes' : '') + '>';
  };

  function wrap(u8) { return new Buffer(u8.buffer, u8.byteOffset, u8.length); }

  module.exports = { Buffer, kMaxLength: 2 ** 32 - 1, constants: { MAX_LENGTH: 2 ** 32 - 1 } };
});
