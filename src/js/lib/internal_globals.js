// internal_globals.js — what Node.js 20 has without a require and QuickJS
// 2021-03-27 lacks: the ES2022–2023 methods (at, Object.hasOwn, findLast,
// toSorted, toReversed, toSpliced, with), structuredClone, TextEncoder and
// TextDecoder (UTF-8), atob and btoa, performance.now; and, as V8 has them,
// JSON.parse's errors and the stack trace API (Error.captureStackTrace).
// Each is defined only where the engine has none, non-enumerable as the
// engine's own are.
(function (module, exports, native) {
  'use strict';
  const define = (obj, name, value) => {
    if (!Object.prototype.hasOwnProperty.call(obj, name))
      Object.defineProperty(obj, name, { value, writable: true, configurable: true });
  };
  const TypedArray = Object.getPrototypeOf(Uint8Array);

  // ToIntegerOrInfinity, and an index relative to the end when negative.
  const integer = (v) => { const n = Number(v); return Number.isNaN(n) ? 0 : Math.trunc(n); };
  const relative = (v, length) => { const k = integer(v); return k < 0 ? k + length : k; };
  const lengthOf = (o) => { const n = integer(o.length); return n > 0 ? Math.min(n, Number.MAX_SAFE_INTEGER) : 0; };
  const comparator = (cmp) => {
    if (cmp !== undefined && typeof cmp !== 'function')
      throw new TypeError('The comparison function must be either a function or undefined');
    return cmp;
  };

  function at(index) {
    const o = Object(this), n = lengthOf(o), k = relative(index, n);
    return k < 0 || k >= n ? undefined : o[k];
  }
  define(Array.prototype, 'at', at);
  define(TypedArray.prototype, 'at', at);
  define(String.prototype, 'at', function at(index) {
    if (this == null) throw new TypeError('String.prototype.at called on null or undefined');
    const s = String(this), k = relative(index, s.length);
    return k < 0 || k >= s.length ? undefined : s[k];
  });
  define(Object, 'hasOwn', function hasOwn(o, key) {
    if (o === null || o === undefined) throw new TypeError('Cannot convert undefined or null to object');
    return Object.prototype.hasOwnProperty.call(o, key);
  });

  function findLastIndex(pred, self) {
    if (typeof pred !== 'function') throw new TypeError(String(pred) + ' is not a function');
    const o = Object(this);
    for (let i = lengthOf(o) - 1; i >= 0; i--)
      if (pred.call(self, o[i], i, o)) return i;
    return -1;
  }
  function findLast(pred, self) {
    const i = findLastIndex.call(this, pred, self);
    return i < 0 ? undefined : Object(this)[i];
  }
  for (const proto of [Array.prototype, TypedArray.prototype]) {
    define(proto, 'findLast', findLast);
    define(proto, 'findLastIndex', findLastIndex);
  }

  // The copying methods of ES2023: a new array, holes read as undefined.
  const copy = (o, n) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = o[i]; return a; };
  define(Array.prototype, 'toSorted', function toSorted(cmp) {
    comparator(cmp);
    const o = Object(this);
    return copy(o, lengthOf(o)).sort(cmp);
  });
  define(Array.prototype, 'toReversed', function toReversed() {
    const o = Object(this), n = lengthOf(o), a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = o[n - 1 - i];
    return a;
  });
  define(Array.prototype, 'with', function (index, value) {
    const o = Object(this), n = lengthOf(o), k = relative(index, n);
    if (k < 0 || k >= n) throw new RangeError('Invalid index : ' + index);
    const a = copy(o, n);
    a[k] = value;
    return a;
  });
  define(Array.prototype, 'toSpliced', function toSpliced(start, skip, ...items) {
    const o = Object(this), n = lengthOf(o);
    const from = Math.min(Math.max(relative(start, n), 0), n);
    const count = arguments.length === 0 ? 0 : arguments.length === 1 ? n - from
      : Math.min(Math.max(integer(skip), 0), n - from);
    const a = copy(o, from);
    for (const item of items) a.push(item);
    for (let i = from + count; i < n; i++) a.push(o[i]);
    return a;
  });
  define(TypedArray.prototype, 'toSorted', function toSorted(cmp) {
    comparator(cmp);
    return new this.constructor(this).sort(cmp);
  });
  define(TypedArray.prototype, 'toReversed', function toReversed() {
    return new this.constructor(this).reverse();
  });
  define(TypedArray.prototype, 'with', function (index, value) {
    const n = this.length, k = relative(index, n);
    if (k < 0 || k >= n) throw new RangeError('Invalid typed array index');
    const a = new this.constructor(this);
    a[k] = value;
    return a;
  });
  // Object.defineProperty names them: 'with' is a keyword as a function name.
  Object.defineProperty(Array.prototype.with, 'name', { value: 'with' });
  Object.defineProperty(TypedArray.prototype.with, 'name', { value: 'with' });

  // structuredClone: the HTML structured clone, as V8 serializes for it.
  // Plain data, Date, RegExp, Map, Set, ArrayBuffer, typed arrays and
  // errors are copied (shared references and cycles kept); a class's object
  // loses its class; a function or symbol cannot be cloned.
  const ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  function cannotClone(v) {
    const e = new Error((typeof v === 'function' ? String(v) : String(v.toString ? v.toString() : v)) +
      ' could not be cloned.');
    e.name = 'DataCloneError';
    e.code = 25;
    return e;
  }
  function clone(v, seen) {
    if (typeof v === 'function' || typeof v === 'symbol') throw cannotClone(v);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v);
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    let out;
    if (Array.isArray(v)) {
      out = new Array(v.length);
      seen.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k], seen);
      return out;
    }
    if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (v instanceof Boolean || v instanceof Number || v instanceof String) out = Object(v.valueOf());
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) {
      const buffer = clone(v.buffer, seen);
      out = v instanceof DataView ? new DataView(buffer, v.byteOffset, v.byteLength)
        : new globalThis[tag](buffer, v.byteOffset, v.length);
    } else if (v instanceof Map) {
      out = new Map();
      seen.set(v, out);
      for (const [k, x] of v) out.set(clone(k, seen), clone(x, seen));
      return out;
    } else if (v instanceof Set) {
      out = new Set();
      seen.set(v, out);
      for (const x of v) out.add(clone(x, seen));
      return out;
    } else if (v instanceof Error) {
      const Ctor = ERRORS[v.name] || Error;
      out = Object.create(Ctor.prototype);
      seen.set(v, out);
      for (const k of ['message', 'stack', 'cause'])
        if (Object.prototype.hasOwnProperty.call(v, k))
          Object.defineProperty(out, k, { value: clone(v[k], seen), writable: true, configurable: true });
      return out;
    } else if (tag === 'Promise' || tag === 'WeakMap' || tag === 'WeakSet') {
      throw cannotClone(v);
    }
    if (out !== undefined) {
      seen.set(v, out);
      return out;
    }
    out = {};
    seen.set(v, out);
    for (const k of Object.keys(v)) out[k] = clone(v[k], seen);
    return out;
  }
  define(globalThis, 'structuredClone', function structuredClone(value) {
    if (arguments.length === 0) throw new TypeError('The "value" argument must be specified');
    return clone(value, new Map());
  });

  // TextEncoder and TextDecoder: UTF-8, as Node's are without ICU's others.
  const utf8Length = (cp) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') {
      const b = Buffer.from(String(input), 'utf8');
      return new Uint8Array(b.buffer, b.byteOffset, b.length);
    }
    encodeInto(src, dest) {
      const s = String(src);
      let read = 0, written = 0;
      for (const ch of s) {   // whole characters only
        const n = utf8Length(ch.codePointAt(0));
        if (written + n > dest.length) break;
        written += Buffer.from(ch, 'utf8').copy(dest, written);
        read += ch.length;
      }
      return { read, written };
    }
  }
  class TextDecoder {
    constructor(label = 'utf-8', options = {}) {
      const name = String(label).trim().toLowerCase();
      if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
        const e = new RangeError(`The "${label}" encoding is not supported`);
        e.code = 'ERR_ENCODING_NOT_SUPPORTED';
        throw e;
      }
      this._fatal = Boolean(options && options.fatal);
      this._ignoreBOM = Boolean(options && options.ignoreBOM);
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return this._fatal; }
    get ignoreBOM() { return this._ignoreBOM; }
    decode(input) {
      if (input === undefined) return '';
      let bytes;
      if (input instanceof ArrayBuffer) bytes = Buffer.from(input);
      else if (ArrayBuffer.isView(input)) bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      else throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
      let s = bytes.toString('utf8');
      if (this._fatal && s.includes('\ufffd') && !Buffer.from(s, 'utf8').equals(bytes)) {
        const e = new TypeError('The encoded data was not valid for encoding utf-8');
        e.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
        throw e;
      }
      if (!this._ignoreBOM && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      return s;
    }
  }
  define(globalThis, 'TextEncoder', TextEncoder);
  define(globalThis, 'TextDecoder', TextDecoder);

  // atob and btoa: base64 of a string whose characters are bytes.
  function invalidCharacter(message) {
    const e = new Error(message);
    e.name = 'InvalidCharacterError';
    e.code = 5;
    return e;
  }
  define(globalThis, 'btoa', function btoa(data) {
    if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
    const s = String(data);
    for (let i = 0; i < s.length; i++)
      if (s.charCodeAt(i) > 0xff) throw invalidCharacter('Invalid character');
    return Buffer.from(s, 'latin1').toString('base64');
  });
  define(globalThis, 'atob', function atob(data) {
    if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
    let s = String(data).replace(/[\t\n\f\r ]/g, '');
    if (s.length % 4 === 0) s = s.replace(/={1,2}$/, '');
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s))
      throw invalidCharacter('The string to be decoded is not correctly encoded.');
    return Buffer.from(s, 'base64').toString('latin1');
  });

  // JSON.parse's errors worded as V8 words them (an API that answers a bad
  // body with err.message says what node says): the text is scanned again
  // only when the engine's parse has failed, to find where and why.
  const WS = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const SPECIAL = ['undefined', 'NaN', 'Infinity', '[object Object]'];
  class JsonFault { constructor(message) { this.message = message; } }
  function jsonFault(text) {
    let i = 0;
    const at = (template) => new JsonFault(template + ' in JSON at position ' + i);
    const end = () => new JsonFault('Unexpected end of JSON input');
    const skip = () => { while (i < text.length && WS(text[i])) i++; };
    // What V8 says when the character at i is not what the grammar allows.
    function unexpected() {
      if (i >= text.length) return end();
      const c = text[i];
      if (c === '"') return at('Unexpected string');
      if (c === '-' || (c >= '0' && c <= '9')) return at('Unexpected number');
      if (SPECIAL.includes(text)) return new JsonFault(`"${text}" is not valid JSON`);
      const n = text.length;
      let context;
      if (n < 21) context = `"${text}"`;
      else if (i < 10) context = `"${text.slice(0, i + 10)}"...`;
      else if (i < n - 10) context = `..."${text.slice(i - 10, i + 10)}"...`;
      else context = `..."${text.slice(i - 10)}"`;
      return new JsonFault(`Unexpected token '${c}', ${context} is not valid JSON`);
    }
    function string() {   // at the opening quote
      i++;
      for (;;) {
        if (i >= text.length) return at('Unterminated string');
        const c = text.charCodeAt(i);
        if (c === 0x22) { i++; return null; }
        if (c < 0x20) return at('Bad control character in string literal');
        if (c === 0x5c) {
          i++;
          if (i >= text.length) return end();
          const e = text[i];
          if (e === 'u') {
            for (let k = 0; k < 4; k++) {
              i++;
              if (i >= text.length || !/[0-9a-fA-F]/.test(text[i])) return at('Bad Unicode escape');
            }
          } else if ('"\\/bfnrt'.indexOf(e) === -1) return at('Bad escaped character');
        }
        i++;
      }
    }
    const digit = () => i < text.length && text[i] >= '0' && text[i] <= '9';
    function number() {
      if (text[i] === '-') {
        i++;
        if (!digit()) return at('No number after minus sign');
      }
      if (text[i] === '0') {
        i++;
        if (digit()) return at('Unexpected number');
      } else while (digit()) i++;
      if (text[i] === '.') {
        i++;
        if (!digit()) return at('Unterminated fractional number');
        while (digit()) i++;
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (!digit()) return at('Exponent part is missing a number');
        while (digit()) i++;
      }
      return null;
    }
    function literal(word) {
      for (let k = 0; k < word.length; k++, i++)
        if (i >= text.length || text[i] !== word[k]) return unexpected();
      return null;
    }
    function value() {
      skip();
      if (i >= text.length) return end();
      const c = text[i];
      if (c === '"') return string();
      if (c === '-' || (c >= '0' && c <= '9')) return number();
      if (c === 't') return literal('true');
      if (c === 'f') return literal('false');
      if (c === 'n') return literal('null');
      if (c === '[') {
        i++;
        skip();
        if (text[i] === ']') { i++; return null; }
        for (;;) {
          const f = value();
          if (f) return f;
          skip();
          if (text[i] === ']') { i++; return null; }
          if (text[i] !== ',') return at("Expected ',' or ']' after array element");
          i++;
        }
      }
      if (c === '{') {
        i++;
        skip();
        if (text[i] === '}') { i++; return null; }
        if (text[i] !== '"') return at("Expected property name or '}'");
        for (let first = true; ; first = false) {
          const f = string();
          if (f) return f;
          skip();
          if (text[i] !== ':') return first ? at("Expected ':' after property name") : unexpected();
          i++;
          const g = value();
          if (g) return g;
          skip();
          if (text[i] === '}') { i++; return null; }
          if (text[i] !== ',') return at("Expected ',' or '}' after property value");
          i++;
          skip();
          if (text[i] !== '"') return at('Expected double-quoted property name');
        }
      }
      return unexpected();
    }
    const f = value();
    if (f) return f.message;
    skip();
    return i < text.length ? 'Unexpected non-whitespace character after JSON at position ' + i : null;
  }
  // QuickJS also takes what JSON does not allow: the numbers `1.` and `-01`,
  // and escapes such as `\a`. Text where one may be (a digit then a point,
  // minus zero then a digit, a backslash before another letter; perhaps
  // inside a string) is scanned before it is parsed.
  const LENIENT = /\d\.(?![0-9])|-0\d|\\[^"\\/bfnrtu]/;
  const engineParse = JSON.parse;
  Object.defineProperty(JSON, 'parse', {
    value: function parse(text, reviver) {
      if (typeof text === 'string' && LENIENT.test(text)) {
        const message = jsonFault(text);
        if (message !== null) throw new SyntaxError(message);
      }
      try {
        return engineParse(text, reviver);
      } catch (e) {
        const message = e instanceof SyntaxError ? jsonFault(String(text)) : null;
        if (message !== null) e.message = message;
        throw e;
      }
    },
    writable: true, configurable: true,
  });

  // V8's stack trace API, with which packages name the place they were
  // called from (depd, which http-errors and body-parser load, warns with
  // it): Error.captureStackTrace, Error.prepareStackTrace given call sites,
  // Error.stackTraceLimit. The sites are read from QuickJS's stack text.
  class CallSite {
    constructor(name, file, line) { this._name = name; this._file = file; this._line = line; }
    getFunctionName() { return this._name; }
    getMethodName() { return null; }
    getTypeName() { return null; }
    getFileName() { return this._file; }
    getLineNumber() { return this._line; }
    getColumnNumber() { return this._line === null ? null : 1; }
    getEvalOrigin() { return undefined; }
    getThis() { return undefined; }
    getFunction() { return undefined; }
    isNative() { return this._file === 'native'; }
    isEval() { return false; }
    isConstructor() { return false; }
    isToplevel() { return this._name === null; }
    isAsync() { return false; }
    isPromiseAll() { return false; }
    getPromiseIndex() { return null; }
    toString() {
      const where = this.isNative() ? 'native' : this._file + (this._line === null ? '' : ':' + this._line + ':1');
      return this._name === null ? where : `${this._name} (${where})`;
    }
  }
  const FRAME = /^\s*at (\S+) \((.*?)(?::(\d+))?\)$/;
  function callSites() {
    const sites = [];
    for (const line of String(new Error().stack).split('\n')) {
      const m = FRAME.exec(line);
      if (m) sites.push(new CallSite(m[1] === '<anonymous>' ? null : m[1], m[2], m[3] === undefined ? null : Number(m[3])));
    }
    return sites.slice(2);   // callSites and captureStackTrace themselves
  }
  if (typeof Error.captureStackTrace !== 'function') {
    Error.stackTraceLimit = 10;
    define(Error, 'captureStackTrace', function captureStackTrace(obj, fn) {
      if (obj === null || typeof obj !== 'object' && typeof obj !== 'function')
        throw new TypeError('Invalid argument');
      let sites = callSites();
      if (typeof fn === 'function' && fn.name) {   // frames down to fn's call left out
        const at = sites.findIndex((site) => site.getFunctionName() === fn.name);
        if (at >= 0) sites = sites.slice(at + 1);
      }
      sites = sites.slice(0, Math.max(0, Math.floor(Number(Error.stackTraceLimit)) || 0));
      const prepare = Error.prepareStackTrace;
      const name = obj.name === undefined ? 'Error' : String(obj.name);   // as Error.prototype.toString
      const message = obj.message === undefined ? '' : String(obj.message);
      const head = !message ? name : !name ? message : name + ': ' + message;
      const stack = typeof prepare === 'function' ? prepare(obj, sites)
        : [head].concat(sites.map((site) => '    at ' + site)).join('\n');
      Object.defineProperty(obj, 'stack', { value: stack, writable: true, configurable: true });
    });
  }

  // performance: milliseconds since the process started, with a fraction.
  const origin = Date.now(), started = process.hrtime();
  define(globalThis, 'performance', {
    timeOrigin: origin,
    now() { const t = process.hrtime(started); return t[0] * 1e3 + t[1] / 1e6; },
    toJSON() { return { timeOrigin: origin }; },
  });
});
