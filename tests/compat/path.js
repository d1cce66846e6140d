// path.js — calls to `path` whose answers must be Node.js's. Run by node to
// record tests/compat/path.expected, and by flx (tests/cli.sh) to compare.
const path = require('path');
const calls = [
  ['normalize', '/foo/bar//baz/asdf/quux/..'], ['normalize', ''], ['normalize', './a/../../b/'],
  ['normalize', '/..'], ['normalize', 'a//b/./c/'], ['normalize', '.'],
  ['join', '/foo', 'bar', 'baz/asdf', 'quux', '..'], ['join'], ['join', '', ''], ['join', 'a', '../..', 'b'],
  ['resolve', '/foo/bar', './baz'], ['resolve', '/foo/bar', '/tmp/file/'], ['resolve', '/a', 'b', '..', 'c'],
  ['isAbsolute', '/foo/bar'], ['isAbsolute', 'qux/'], ['isAbsolute', ''],
  ['dirname', '/foo/bar/baz/asdf/quux'], ['dirname', '/a'], ['dirname', 'a'], ['dirname', '/'], ['dirname', 'a/b//'], ['dirname', ''],
  ['basename', '/foo/bar/baz/asdf/quux.html'], ['basename', '/foo/bar/quux.html', '.html'], ['basename', '/a/b/'], ['basename', ''], ['basename', 'aaa', 'aaa'],
  ['extname', 'index.html'], ['extname', 'index.coffee.md'], ['extname', 'index.'], ['extname', 'index'], ['extname', '.index'], ['extname', '.index.md'], ['extname', '..'],
  ['relative', '/data/orandea/test/aaa', '/data/orandea/impl/bbb'], ['relative', '/a/b', '/a/b'], ['relative', '/a/b', '/a/b/c/d'], ['relative', '/a/b/c', '/a'],
  ['parse', '/home/user/dir/file.txt'], ['parse', 'file.tar.gz'], ['parse', '/'], ['parse', './x.js'],
  ['format', { root: '/ignored', dir: '/home/user/dir', base: 'file.txt' }], ['format', { root: '/', base: 'file.txt', ext: 'ignored' }],
  ['format', { root: '/', name: 'file', ext: '.txt' }], ['format', { name: 'x', ext: 'js' }],
];
const out = calls.map(([fn, ...args]) => {
  try { return fn + ' ' + JSON.stringify(path[fn](...args)); }
  catch (e) { return fn + ' throws ' + e.name; }
});
out.push('sep ' + path.sep + ' delimiter ' + path.delimiter);
out.push('join(1) ' + (() => { try { path.join(1); return 'no'; } catch (e) { return e.name + ': ' + e.message; } })());
console.log(out.join('\n'));
process.exit(0);
