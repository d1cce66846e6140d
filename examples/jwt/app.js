// A token-authenticated JSON API as Express apps write one with
// jsonwebtoken (HS256): a login that issues a token, middleware that
// verifies it, routes that read who is asking; tokens, their errors and
// the counts of each user's calls compared with node.
const express = require('express');
const jwt = require('jsonwebtoken');

const SECRET = 'flx-example-secret';
const users = { ann: 'pw-ann', bob: 'pw-bob' };
const calls = {};

const app = express();
app.use(express.json());

app.post('/login', (req, res) => {
  const { name, password } = req.body || {};
  if (!users[name] || users[name] !== password) return res.status(401).json({ error: 'bad credentials' });
  const token = jwt.sign({ sub: name, role: name === 'ann' ? 'admin' : 'user' }, SECRET, { noTimestamp: true });
  res.json({ token });
});

function auth(req, res, next) {
  const header = req.get('Authorization') || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : req.query.token;
  if (!token) return res.status(401).json({ error: 'no token' });
  jwt.verify(token, SECRET, (err, payload) => {
    if (err) return res.status(401).json({ error: err.name + ': ' + err.message });
    req.user = payload;
    next();
  });
}

app.get('/me', auth, (req, res) => {
  calls[req.user.sub] = (calls[req.user.sub] || 0) + 1;
  res.json({ user: req.user.sub, role: req.user.role, calls: calls[req.user.sub] });
});

app.get('/admin', auth, (req, res) => {
  if (req.user.role !== 'admin') return res.status(403).json({ error: 'admins only' });
  res.json({ users: Object.keys(users), calls });
});

app.get('/decode', (req, res) => res.json(jwt.decode(String(req.query.token || ''), { complete: true })));

app.listen(process.env.PORT || 3000);
