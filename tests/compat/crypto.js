// crypto.js — digests, HMAC, PBKDF2, scrypt and UUID shape must be Node.js's. Run by
// node to record tests/compat/crypto.expected, by flx to compare.
const crypto = require('crypto');
const out = [];
const show = (label, f) => { try { out.push(label + ' ' + JSON.stringify(f())); } catch (e) { out.push(label + ' throws ' + e.message); } };
for (const alg of ['md5', 'sha1', 'sha256', 'sha512'])
  show(alg, () => crypto.createHash(alg).update('hello ').update(Buffer.from('world')).digest('hex'));
show('base64 digest', () => crypto.createHash('sha256').update('').digest('base64'));
show('buffer digest', () => crypto.createHash('md5').update('x').digest().length);
show('hmac', () => crypto.createHmac('sha256', 'secret').update('message').digest('hex'));
show('hmac buffer key', () => crypto.createHmac('sha1', Buffer.from('k')).update('m').digest('base64'));
show('pbkdf2Sync', () => crypto.pbkdf2Sync('password', 'salt', 1000, 16, 'sha256').toString('hex'));
show('unknown digest', () => crypto.createHash('nope'));
show('digest twice', () => { const h = crypto.createHash('sha1'); h.digest(); return h.digest(); });
show('randomBytes', () => crypto.randomBytes(12).length);
show('uuid', () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
show('timingSafeEqual', () => [crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')), crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ac'))]);
show('scryptSync', () => [crypto.scryptSync('password', 'salt', 64).toString('hex'),
  crypto.scryptSync(Buffer.from('pw'), 'salt', 16, { N: 1024, r: 8, p: 2 }).toString('base64'),
  crypto.scryptSync('pw', 'salt', 8, { cost: 2048, blockSize: 4, parallelization: 1, maxmem: 0 }).toString('hex'),
  crypto.scryptSync('a', 'b', 0).length]);
for (const o of [{ N: 3 }, { N: 1 << 20 }, { cost: 1024, N: 1024 }, { maxmem: -1 }, { N: 'x' }])
  show('scryptSync ' + JSON.stringify(o), () => { try { return crypto.scryptSync('p', 's', 16, o).length; } catch (e) { return [e.name, e.code, e.message]; } });
show('secret KeyObject', () => { const k = crypto.createSecretKey(Buffer.from('key')); return [k.type, k.symmetricKeySize, k.asymmetricKeyType, k.export().toString(), k.export({ format: 'jwk' }), k.equals(crypto.createSecretKey('key', 'utf8')), k instanceof crypto.KeyObject]; });
show('hmac with a KeyObject', () => crypto.createHmac('sha256', crypto.createSecretKey(Buffer.from('k'))).update('m').digest('hex'));
console.log(out.join('\n'));
crypto.pbkdf2('pw', 'salt', 10, 8, 'sha1', (err, key) => {
  console.log('pbkdf2 ' + (err ? err.message : key.toString('hex')));
  crypto.scrypt('pw', 'salt', 16, { N: 1024 }, (err2, key2) => {
    console.log('scrypt ' + (err2 ? err2.message : key2.toString('hex')));
    process.exit(0);
  });
});
