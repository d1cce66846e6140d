// More of Express's API as apps use it: body parsers and their errors,
// freshness (ETag / If-None-Match), HEAD and OPTIONS, trust proxy, settings,
// mounted routers' URLs, cookies with options; compared with node.
const express = require('express');
const cookieParser = require('cookie-parser');
const app = express();
app.set('trust proxy', 'loopback');
app.disable('x-powered-by');
app.use(cookieParser('s3cret'));
app.post('/json', express.json({ strict: true }), (req, res) => res.json({ body: req.body, type: typeof req.body }));
app.post('/json-loose', express.json({ strict: false, type: '*/*' }), (req, res) => res.json({ body: req.body }));
app.post('/json-limit', express.json({ limit: 10 }), (req, res) => res.json(req.body));
app.post('/form', express.urlencoded({ extended: true }), (req, res) => res.json(req.body));
app.post('/form-simple', express.urlencoded({ extended: false }), (req, res) => res.json(req.body));
app.post('/text', express.text({ type: '*/*' }), (req, res) => res.send('text:' + req.body));
app.post('/raw', express.raw({ type: '*/*' }), (req, res) => res.json({ len: req.body.length, isBuffer: Buffer.isBuffer(req.body) }));
app.get('/fresh', (req, res) => res.send('fresh body'));
app.get('/strong', (req, res) => { res.set('ETag', '"v1"'); res.send('strong'); });
app.all('/any', (req, res) => res.send(req.method));
app.route('/route').get((req, res) => res.send('g')).put((req, res) => res.send('p'));
app.get('/proxy', (req, res) => res.json({ ip: req.ip, ips: req.ips, protocol: req.protocol, secure: req.secure, host: req.hostname }));
const outer = express.Router();
const inner = express.Router();
inner.get('/leaf', (req, res) => res.json({ baseUrl: req.baseUrl, originalUrl: req.originalUrl, url: req.url, path: req.path }));
outer.use('/in', inner);
app.use(['/out', '/alias'], outer);
app.get('/cookies', (req, res) => {
  res.cookie('plain', 'v', { sameSite: 'strict', secure: true, domain: 'example.com' });
  res.cookie('signed', 'sv', { signed: true });
  res.cookie('exp', 'e', { expires: new Date(Date.UTC(2030, 0, 1)) });
  res.json({ cookies: req.cookies, signed: req.signedCookies });
});
app.get('/status-first', (req, res) => res.status(202).json({ accepted: true }));
app.get('/send-true', (req, res) => res.send(true));
app.get('/send-status-code', (req, res) => res.sendStatus(299));
app.get('/redirect-relative', (req, res) => res.redirect('../up'));
app.get('/redirect-full', (req, res) => res.redirect(302, 'http://example.com/x?y=<z>'));
app.get('/CaseSensitive', (req, res) => res.send('case'));
app.get('/slash/', (req, res) => res.send('slash'));
app.get('/query', (req, res) => res.json(req.query));
// Text beyond ASCII: its length and ETag are of its UTF-8 bytes. A wrapped
// res.end is given a Buffer by res.send, as Express gives it (the body says
// which: 'buffer' or 'string', as long as the text sent).
app.get('/unicode', (req, res) => res.send('héllo 日本 👋'));
app.get('/latin1', (req, res) => res.send('a plain start, then crème brûlée'));
// a strict, case-sensitive router: /strict/s only, not /strict/s/ or /strict/S
const strict = express.Router({ strict: true, caseSensitive: true });
strict.get('/s', (req, res) => res.send('strict ' + req.baseUrl + req.path));
app.use('/strict', strict);
app.get('/unicode-json', (req, res) => res.json({ s: 'é👋', lone: '\ud800' }));
app.get('/wrapped-end', (req, res) => {
  const end = res.end;
  res.end = function (chunk, ...rest) {
    return end.call(this, Buffer.isBuffer(chunk) ? 'buffer' : typeof chunk, ...rest);
  };
  res.send('chunk?');
});
app.use((err, req, res, next) => res.status(err.status || 500).json({ message: err.message, type: err.type, status: err.status, expose: err.expose }));
app.listen(process.env.PORT || 3000);
