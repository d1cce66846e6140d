// crypto.js — Node.js's `crypto` for what web apps use: createHash,
// createHmac (md5, sha1, sha256, sha512, ...), randomBytes, randomUUID,
// randomInt, pbkdf2, scrypt, timingSafeEqual, getHashes, secret
// KeyObjects; the work is OpenSSL's (mod_crypto.c).
(function (module, exports, native) {
  'use strict';
  const c = native.crypto;

  function toBuf(data, enc) {
    if (typeof data === 'string') return Buffer.from(data, enc);
    if (ArrayBuffer.isView(data)) return data;
    const e = new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ' + (data === null ? 'null' : typeof data));
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  function output(ab, enc) {
    const b = Buffer.from(ab);
    return enc === undefined || enc === 'buffer' ? b : b.toString(enc);
  }

  class Hash {
    constructor(alg, key) {
      this._alg = alg;
      this._key = key;
      this._chunks = [];
      this._done = false;
      c.hash(alg, []);   // throws now for an unknown digest, as Node does
    }
    update(data, enc) {
      if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
      this._chunks.push(toBuf(data, enc));
      return this;
    }
    digest(enc) {
      if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
      this._done = true;
      return output(this._key === undefined ? c.hash(this._alg, this._chunks) : c.hmac(this._alg, this._key, this._chunks), enc);
    }
    copy() { const h = new Hash(this._alg, this._key); h._chunks = this._chunks.slice(); return h; }
  }

  function randomBytes(size, cb) {
    const b = Buffer.from(c.randomBytes(size));
    if (typeof cb === 'function') { setImmediate(cb, null, b); return undefined; }
    return b;
  }
  function randomUUID() {
    const b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function randomInt(min, max, cb) {
    if (max === undefined || typeof max === 'function') { cb = max; max = min; min = 0; }
    const range = max - min;
    const v = min + Math.floor((randomBytes(6).readUInt32BE(0) * 65536 + randomBytes(2).readUInt16BE(0)) / 2 ** 48 * range);
    if (cb) { setImmediate(cb, null, v); return undefined; }
    return v;
  }
  function pbkdf2Sync(password, salt, iterations, keylen, digest) {
    return Buffer.from(c.pbkdf2(toBuf(password), toBuf(salt), iterations, keylen, digest));
  }
  function pbkdf2(password, salt, iterations, keylen, digest, cb) {
    let key, err = null;
    try { key = pbkdf2Sync(password, salt, iterations, keylen, digest); } catch (e) { err = e; }
    setImmediate(() => (err ? cb(err) : cb(null, key)));
  }
  // scrypt: Node's defaults, its option names (N or cost, r or blockSize,
  // p or parallelization, maxmem; 0 is the default) and its errors.
  const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 32 << 20 };
  function codeError(Ctor, code, message) {
    const e = new Ctor(message);
    e.code = code;
    return e;
  }
  function scryptParams(keylen, options) {
    if (!Number.isInteger(keylen) || keylen < 0 || keylen > 2147483647)
      throw codeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "keylen" is out of range. It must be >= 0 && <= 2147483647. Received ' + keylen);
    const got = Object.assign({}, SCRYPT);
    const pairs = [['N', 'cost'], ['r', 'blockSize'], ['p', 'parallelization']];
    for (const [name, alias] of pairs) {
      const a = options && options[name], b = options && options[alias];
      if (a !== undefined && b !== undefined)
        throw codeError(Error, 'ERR_CRYPTO_SCRYPT_INVALID_PARAMETER', 'Invalid scrypt parameter');
      const v = a !== undefined ? a : b;
      if (v === undefined) continue;
      if (typeof v !== 'number')
        throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${a !== undefined ? name : alias}" argument must be of type number. Received type ${typeof v} (${JSON.stringify(v)})`.replace(/"([^"]*)"\)$/, "'$1')"));
      if (v !== 0) got[name] = v;
    }
    if (options && options.maxmem !== undefined) {
      const m = options.maxmem;
      if (!Number.isInteger(m) || m < 0 || m > Number.MAX_SAFE_INTEGER)
        throw codeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "maxmem" is out of range. It must be >= 0 && <= 9007199254740991. Received ' + m);
      if (m !== 0) got.maxmem = m;
    }
    if (got.N < 2 || (got.N & (got.N - 1)) !== 0)
      throw codeError(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', 'Invalid scrypt params');
    return got;
  }
  // The key, from parameters scryptParams checked (OpenSSL checks memory).
  function deriveScrypt(password, salt, keylen, o) {
    try {
      return Buffer.from(c.scrypt(toBuf(password), toBuf(salt), keylen, o.N, o.r, o.p, o.maxmem));
    } catch (e) {
      if (e instanceof RangeError) e.code = 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS';
      throw e;
    }
  }
  function scryptSync(password, salt, keylen, options) {
    return deriveScrypt(password, salt, keylen, scryptParams(keylen, options));
  }
  function scrypt(password, salt, keylen, options, cb) {
    if (typeof options === 'function') { cb = options; options = undefined; }
    const o = scryptParams(keylen, options);   // these throw, as Node's
    let key, err = null;
    try { key = deriveScrypt(password, salt, keylen, o); } catch (e) { err = e; }
    setImmediate(() => (err ? cb(err) : cb(null, key)));
  }
  function timingSafeEqual(a, b) {
    if (a.length !== b.length) {
      const e = new RangeError('Input buffers must have the same byte length');
      e.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH';
      throw e;
    }
    let d = 0;
    for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
    return d === 0;
  }

  // Keys as objects (what jsonwebtoken hands createHmac): secret keys; a
  // PEM key for signing (createPrivateKey, createPublicKey) is not there,
  // and says so as Node says it of a key it cannot read.
  class KeyObject {
    constructor(type, key) {
      if (type !== 'secret') throw new TypeError('Invalid KeyObject type');
      Object.defineProperty(this, '_key', { value: key });
    }
    get type() { return 'secret'; }
    get symmetricKeySize() { return this._key.length; }
    get asymmetricKeyType() { return undefined; }
    get asymmetricKeyDetails() { return undefined; }
    export(options) {
      if (options && options.format === 'jwk') return { kty: 'oct', k: this._key.toString('base64url') };
      return Buffer.from(this._key);
    }
    equals(other) { return other instanceof KeyObject && Buffer.compare(this._key, other._key) === 0; }
  }
  function createSecretKey(key, encoding) {
    const bytes = typeof key === 'string' ? Buffer.from(key, encoding) : Buffer.from(toBuf(key));
    return new KeyObject('secret', bytes);
  }
  function unreadableKey() {
    const e = new Error('error:1E08010C:DECODER routines::unsupported');
    e.code = 'ERR_OSSL_UNSUPPORTED';
    e.library = 'DECODER routines';
    e.reason = 'unsupported';
    return e;
  }
  const hmacKey = (key) => (key instanceof KeyObject ? key._key : typeof key === 'string' ? key : toBuf(key));

  module.exports = {
    createHash: (alg) => new Hash(alg),
    createHmac: (alg, key) => new Hash(alg, hmacKey(key)),
    KeyObject, createSecretKey,
    createPrivateKey: () => { throw unreadableKey(); },
    createPublicKey: () => { throw unreadableKey(); },
    randomBytes, randomUUID, randomInt, pbkdf2, pbkdf2Sync, scrypt, scryptSync, timingSafeEqual,
    getHashes: () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'],
    webcrypto: {},
  };
});
