// assert.js — Node.js's `assert`: ok, equal and strictEqual and their
// negations, deepEqual and deepStrictEqual (internal_compare.js, as node's),
// throws and rejects, match, ifError, fail, AssertionError, assert.strict.
// Messages are node's: values one entry a line, differences as + and - lines
// (a longest common subsequence). Node leaves out long runs of equal lines
// ("... Lines skipped"); here every line is printed.
(function (module, exports, native) {
  'use strict';
  const util = require('util');
  const { deepEqual: same } = native.require('internal_compare');
  const inspect = (v) => util.inspect(v, { depth: 1000 });

  class AssertionError extends Error {
    constructor(options) {
      const { message, actual, expected, operator, stackStartFn } = options || {};
      super(message === undefined ? generated(actual, expected, operator)
        : operator === 'strictEqual' || operator === 'deepStrictEqual'   // node keeps the difference
          ? String(message) + generated(actual, expected, operator).replace(/^[^\n]*/, '')
          : String(message));
      this.generatedMessage = message === undefined;
      this.code = 'ERR_ASSERTION';
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
      if (Error.captureStackTrace) Error.captureStackTrace(this, stackStartFn || AssertionError);
    }
    get name() { return 'AssertionError'; }
    toString() { return `${this.name} [${this.code}]: ${this.message}`; }
  }

  const KIND = {
    deepStrictEqual: 'Expected values to be strictly deep-equal:',
    strictEqual: 'Expected values to be strictly equal:',
    deepEqual: 'Expected values to be loosely deep-equal:',
    notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
    notStrictEqual: 'Expected "actual" to be strictly unequal to:',
    notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  };

  // A value as node's assertion messages print it, one entry a line.
  const shown = (v) => util.inspect(v, { compact: false, sorted: true, depth: 1000 }).split('\n');

  // actual's lines against expected's: '+ ' only in actual, '- ' only in
  // expected, '  ' in both (a longest common subsequence).
  function diff(a, b) {
    const n = a.length, m = b.length, len = [];
    for (let i = n; i >= 0; i--) {
      len[i] = [];
      for (let j = m; j >= 0; j--)
        len[i][j] = i === n || j === m ? 0 : a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
    }
    const out = [];
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { out.push('  ' + a[i]); i++; j++; }
      else if (i < n && (j === m || len[i + 1][j] >= len[i][j + 1])) out.push('+ ' + a[i++]);
      else out.push('- ' + b[j++]);
    }
    return out.join('\n');
  }

  function generated(actual, expected, operator) {
    const a = inspect(actual), e = inspect(expected);
    const object = (v) => typeof v === 'object' && v !== null;
    switch (operator) {
      case '==': case '!=': return `${a} ${operator} ${e}`;
      case 'strictEqual': case 'deepStrictEqual': {
        const la = shown(actual), le = shown(expected);
        if (la.length === 1 && le.length === 1 && la[0] !== le[0] && !object(actual) && !object(expected) &&
            (actual !== 0 || expected !== 0))
          return `${KIND[operator]}\n\n${la[0]} !== ${le[0]}\n`;
        if (operator === 'strictEqual' && la.join('\n') === le.join('\n'))
          return `Values have same structure but are not reference-equal:\n\n${la.join('\n')}\n`;
        const head = operator === 'strictEqual' && object(actual) && object(expected)
          ? 'Expected "actual" to be reference-equal to "expected":' : KIND[operator];
        return `${head}\n+ actual - expected\n\n${diff(la, le)}`;
      }
      case 'deepEqual':
        return `${KIND[operator]}\n\n${shown(actual).join('\n')}\n\nshould loosely deep-equal\n\n${shown(expected).join('\n')}`;
      case 'notDeepEqual':
        return `${KIND[operator]}\n\n${shown(actual).join('\n')}`;
      case 'notStrictEqual': case 'notDeepStrictEqual':
        if (object(actual)) return `${KIND[operator]}\n\n${shown(actual).join('\n')}\n`;
        return `${KIND[operator]} ${a}`;
      case 'fail': return 'Failed';
      default: return `${a} ${operator} ${e}`;
    }
  }

  // text: the message made here when the caller gave none (still generated).
  function raise(options, text) {
    const given = options.message !== undefined && options.message !== '';
    const e = new AssertionError(given || text === undefined ? options : Object.assign({}, options, { message: text }));
    if (!given && text !== undefined) e.generatedMessage = true;
    throw e;
  }

  // ok(value): the message node writes when none is given, without the
  // call's source text that node quotes (QuickJS's stack has no columns).
  function innerOk(fn, argc, value, message) {
    if (value) return;
    if (argc === 0) raise({ actual: undefined, expected: true, operator: '==', stackStartFn: fn },
                          'No value argument passed to `assert.ok()`');
    if (message instanceof Error) throw message;
    raise({ message: message !== undefined ? message : 'The expression evaluated to a falsy value:\n\n  ' +
            (fn === assert ? 'assert' : 'assert.ok') + '(' + inspect(value) + ')\n',
            actual: value, expected: true, operator: '==', stackStartFn: fn });
  }
  function assert(...args) { innerOk(assert, args.length, ...args); }
  function ok(...args) { innerOk(ok, args.length, ...args); }

  function check(pass, actual, expected, message, operator, fn) {
    if (pass) return;
    if (message instanceof Error) throw message;
    raise({ message, actual, expected, operator, stackStartFn: fn });
  }

  function equal(actual, expected, message) {
    check(actual == expected || (actual !== actual && expected !== expected), actual, expected, message, '==', equal);
  }
  function notEqual(actual, expected, message) {
    check(!(actual == expected || (actual !== actual && expected !== expected)), actual, expected, message, '!=', notEqual);
  }
  function strictEqual(actual, expected, message) {
    check(Object.is(actual, expected), actual, expected, message, 'strictEqual', strictEqual);
  }
  function notStrictEqual(actual, expected, message) {
    check(!Object.is(actual, expected), actual, expected, message, 'notStrictEqual', notStrictEqual);
  }
  function deepEqual(actual, expected, message) {
    check(same(actual, expected, false), actual, expected, message, 'deepEqual', deepEqual);
  }
  function notDeepEqual(actual, expected, message) {
    check(!same(actual, expected, false), actual, expected, message, 'notDeepEqual', notDeepEqual);
  }
  function deepStrictEqual(actual, expected, message) {
    check(same(actual, expected, true), actual, expected, message, 'deepStrictEqual', deepStrictEqual);
  }
  function notDeepStrictEqual(actual, expected, message) {
    check(!same(actual, expected, true), actual, expected, message, 'notDeepStrictEqual', notDeepStrictEqual);
  }

  function fail(message) {
    if (message instanceof Error) throw message;
    raise({ message, operator: 'fail', stackStartFn: fail });
  }

  function invalidArg(name, what, value) {
    const e = new TypeError(`The "${name}" argument must be ${what}. Received ${inspect(value)}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    return e;
  }

  // Whether err is what `expected` (a class, a RegExp, a validating
  // function, or an object of properties) asks for; else throws as node.
  function expectedError(err, expected, message, fn) {
    if (expected === undefined) return;
    if (expected instanceof RegExp) {
      const text = String(err);
      if (expected.test(text)) return;
      raise({ message, actual: err, expected, operator: fn.name, stackStartFn: fn },
            `The input did not match the regular expression ${expected}. Input:\n\n${inspect(text)}\n`);
    }
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && err instanceof expected) return;
      if (Error.isPrototypeOf(expected) || expected === Error) {   // another class
        const got = err && err.constructor && err.constructor.name;
        raise({ message, actual: err, expected, operator: fn.name, stackStartFn: fn },
              `The error is expected to be an instance of "${expected.name}". Received "${got}"\n\n` +
              `Error message:\n\n${err && err.message}`);
      }
      if (expected.call({}, err) === true) return;
      raise({ message, actual: err, expected, operator: fn.name, stackStartFn: fn },
            `The ${expected.name ? `"${expected.name}" ` : ''}validation function is expected to return "true". Received ${inspect(false)}`);
    }
    if (typeof expected === 'object' && expected !== null) {
      for (const key of Object.keys(expected)) {
        const want = expected[key], got = err == null ? undefined : err[key];
        const matches = want instanceof RegExp && typeof got === 'string' ? want.test(got) : same(got, want, true);
        if (!matches) {
          const a = shown({ [key]: got }), e = shown({ [key]: want });
          a[0] = e[0] = 'Comparison {';
          raise({ message, actual: err, expected, operator: fn.name, stackStartFn: fn },
                `${KIND.deepStrictEqual}\n+ actual - expected\n\n${diff(a, e)}`);
        }
      }
      return;
    }
    throw invalidArg('expected', 'of type function or an instance of Error, RegExp, or Object', expected);
  }

  const NO_EXCEPTION = Symbol('no exception');
  function caught(fn) {
    try { fn(); } catch (e) { return e; }
    return NO_EXCEPTION;
  }
  function missing(expected, message, fn, what) {
    const name = typeof expected === 'function' && expected.name ? ` (${expected.name})` : '';
    raise({ message: `Missing expected ${what}${name}${message ? ': ' + message : '.'}`,
            actual: undefined, expected, operator: fn.name, stackStartFn: fn });
  }

  function throws(block, expected, message) {
    if (typeof block !== 'function') throw invalidArg('fn', 'of type function', block);
    if (typeof expected === 'string') { message = expected; expected = undefined; }
    const err = caught(block);
    if (err === NO_EXCEPTION) missing(expected, message, throws, 'exception');
    expectedError(err, expected, message, throws);
  }
  function doesNotThrow(block, expected, message) {
    if (typeof block !== 'function') throw invalidArg('fn', 'of type function', block);
    if (typeof expected === 'string') { message = expected; expected = undefined; }
    const err = caught(block);
    if (err === NO_EXCEPTION) return;
    if (expected !== undefined && typeof expected === 'function' && !(err instanceof expected)) throw err;
    raise({ message: `Got unwanted exception${message ? ': ' + message : '.'}\nActual message: "${err && err.message}"`,
            actual: err, expected, operator: 'doesNotThrow', stackStartFn: doesNotThrow });
  }

  async function settle(promiseFn) {
    const p = typeof promiseFn === 'function' ? promiseFn() : promiseFn;
    if (!p || typeof p.then !== 'function')
      throw invalidArg('promiseFn', 'of type function or an instance of Promise', p);
    try { await p; } catch (e) { return e; }
    return NO_EXCEPTION;
  }
  async function rejects(promiseFn, expected, message) {
    if (typeof expected === 'string') { message = expected; expected = undefined; }
    const err = await settle(promiseFn);
    if (err === NO_EXCEPTION) missing(expected, message, rejects, 'rejection');
    expectedError(err, expected, message, rejects);
  }
  async function doesNotReject(promiseFn, expected, message) {
    if (typeof expected === 'string') { message = expected; expected = undefined; }
    const err = await settle(promiseFn);
    if (err === NO_EXCEPTION) return;
    raise({ message: `Got unwanted rejection${message ? ': ' + message : '.'}\nActual message: "${err && err.message}"`,
            actual: err, expected, operator: 'doesNotReject', stackStartFn: doesNotReject });
  }

  function ifError(err) {
    if (err === null || err === undefined) return;
    let message = 'ifError got unwanted exception: ';
    message += typeof err === 'object' && typeof err.message === 'string'
      ? (err.message.length === 0 && err.constructor ? err.constructor.name : err.message)
      : inspect(err);
    const e = new AssertionError({ message, actual: err, expected: null, operator: 'ifError', stackStartFn: ifError });
    e.origin = err;
    throw e;
  }

  function matching(fn, string, regexp, message, wanted) {
    if (!(regexp instanceof RegExp)) throw invalidArg('regexp', 'an instance of RegExp', regexp);
    if (typeof string === 'string' && regexp.test(string) === wanted) return;
    if (message instanceof Error) throw message;
    const text = typeof string !== 'string'
      ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
      : (wanted ? 'The input did not match the regular expression ' : 'The input was expected to not match the regular expression ') +
        `${inspect(regexp)}. Input:\n\n${inspect(string)}\n`;
    raise({ message, actual: string, expected: regexp, operator: fn.name, stackStartFn: fn }, text);
  }
  function match(string, regexp, message) { matching(match, string, regexp, message, true); }
  function doesNotMatch(string, regexp, message) { matching(doesNotMatch, string, regexp, message, false); }

  Object.assign(assert, {
    ok, equal, notEqual, strictEqual, notStrictEqual, deepEqual, notDeepEqual, deepStrictEqual,
    notDeepStrictEqual, fail, throws, doesNotThrow, rejects, doesNotReject, ifError, match, doesNotMatch,
    AssertionError,
  });
  // assert.strict: the same, with the loose comparisons strict.
  function strict(...args) { innerOk(strict, args.length, ...args); }
  Object.assign(strict, assert, { equal: strictEqual, notEqual: notStrictEqual, deepEqual: deepStrictEqual,
                                  notDeepEqual: notDeepStrictEqual });
  strict.strict = strict;
  assert.strict = strict;
  module.exports = assert;
});
