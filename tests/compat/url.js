// url.js — url.parse/format/resolve, URL and URLSearchParams must answer as
// Node.js's. Run by node to record tests/compat/url.expected, by flx to compare.
const url = require('url');
const out = [];
const show = (label, f) => { try { out.push(label + ' ' + JSON.stringify(f())); } catch (e) { out.push(label + ' throws ' + e.name + ' ' + (e.code || '')); } };
const u = new URL('https://user:pw@Example.COM:8443/a/./b/../c%20d?x=1&y=two#frag');
show('href', () => u.href);
show('parts', () => [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin]);
show('default port', () => new URL('http://h.org:80/').href);
show('relative', () => new URL('../x?q#h', 'http://h.org/a/b/c').href);
show('absolute path', () => new URL('/root', 'http://h.org/a/b').href);
show('invalid', () => new URL('nope'));
show('params', () => [...u.searchParams]);
show('params get', () => [u.searchParams.get('y'), u.searchParams.get('z'), u.searchParams.has('x')]);
show('params edit', () => { const p = new URLSearchParams('a=1&b=2&a=3'); p.append('c', 'x y'); p.delete('b'); p.set('a', '9'); return p.toString(); });
show('params object', () => new URLSearchParams({ q: 'a&b', n: 1 }).toString());
show('params sort', () => { const p = new URLSearchParams('z=1&a=2'); p.sort(); return p.toString(); });
show('search set', () => { const x = new URL('http://h.org/p'); x.searchParams.set('k', 'v w'); return x.href; });
show('parse', () => { const p = url.parse('http://user@host.com:8080/p/a/t/h?query=string#hash'); return [p.protocol, p.auth, p.host, p.port, p.hostname, p.hash, p.search, p.query, p.pathname, p.path, p.href]; });
show('parse query', () => url.parse('/x?a=1&b=2&a=3', true).query);
show('parse path', () => { const p = url.parse('/only/path?q=1'); return [p.protocol, p.host, p.pathname, p.search]; });
show('format', () => url.format({ protocol: 'https', hostname: 'ex.com', pathname: '/some/path', query: { page: 1, format: 'json' } }));
show('format URL', () => url.format(new URL('http://a:b@h.org/x#y'), { auth: false, fragment: false }));
show('fileURLToPath', () => url.fileURLToPath('file:///tmp/a%20b.txt'));
console.log(out.join('\n'));
process.exit(0);
