// buffer.js — Buffer's answers must be Node.js's. Run by node to record
// tests/compat/buffer.expected, and by flx (tests/cli.sh) to compare.
const out = [];
const show = (label, f) => { try { out.push(label + ' ' + JSON.stringify(f())); } catch (e) { out.push(label + ' throws ' + e.name + ': ' + e.message); } };
const b = Buffer.from('héllo wörld ✓');
show('utf8 length', () => b.length);
show('byteLength', () => Buffer.byteLength('héllo ✓'));
show('hex', () => b.toString('hex'));
show('base64', () => b.toString('base64'));
show('base64url', () => Buffer.from([251, 255, 191]).toString('base64url'));
show('from hex', () => Buffer.from('68690aff', 'hex').toString('latin1'));
show('from base64', () => Buffer.from('aMOpbGxv', 'base64').toString());
show('slice', () => b.slice(1, 6).toString());
show('concat', () => Buffer.concat([Buffer.from('ab'), Buffer.from('cd')], 3).toString());
show('equals', () => [Buffer.from('x').equals(Buffer.from('x')), Buffer.from('x').equals(Buffer.from('y'))]);
show('compare', () => [Buffer.compare(Buffer.from('a'), Buffer.from('b')), Buffer.from('b').compare(Buffer.from('a'))]);
show('alloc', () => Buffer.alloc(4, 'ab').toString());
show('json', () => Buffer.from('hi').toJSON());
show('isBuffer', () => [Buffer.isBuffer(Buffer.alloc(1)), Buffer.isBuffer(new Uint8Array(1))]);
show('indexOf', () => [b.indexOf('w'), b.includes('llo'), b.indexOf('zz')]);
show('bad utf8', () => Buffer.from([0x61, 0xff, 0x62]).toString());
show('write', () => { const x = Buffer.alloc(5); const n = x.write('abcdefg', 1); return [n, x.toString()]; });
show('readUInt32BE', () => Buffer.from([1, 2, 3, 4]).readUInt32BE(0));
show('bad encoding', () => Buffer.from('x', 'nope'));
show('from number', () => Buffer.from(5));
console.log(out.join('\n'));
process.exit(0);
