// Error handling: next(err) with a status, a handler that throws (one of
// them grouped), a handler that sends twice, and the app's own error
// middleware.
const express = require('express');
const app = express();

app.get('/ok', (req, res) => res.send('fine'));

app.get('/missing', (req, res, next) => {
  const err = new Error('Nothing here');
  err.status = 404;
  next(err);
});

app.get('/throw', (req, res) => {
  throw new Error('handler blew up');
});

// Grouped (attempts is state), so it runs on one worker: a request that
// came in on the other gets Express's error page from a throw there too.
let attempts = 0;
app.get('/flaky', (req, res) => {
  attempts++;
  if (attempts % 2 === 0) throw new Error('every second attempt fails');
  res.send('attempt ' + attempts);
});

// Split (docs/compiler.md, "State sections"): the statements on `served`
// run in its group, the rest where the request is. A throw in either part
// is Express's error page, as under node.
function positive(n) {
  if (!(n > 0)) throw new RangeError('not a positive number: ' + n);
  return n;
}
let served = 0;
app.get('/serve/:n', (req, res) => {
  const n = Number(req.params.n);
  served += positive(n);
  const total = served;
  if (n === 13) throw new Error('unlucky');
  res.send('served ' + total);
});

app.get('/twice', (req, res) => {
  res.send('first');
  res.send('second');
});

app.get('/teapot', (req, res, next) => next(Object.assign(new Error('short and stout'), { status: 418, expose: true })));

app.use((err, req, res, next) => {
  if (err.status === 418) return res.status(418).json({ error: err.message });
  next(err);
});

app.listen(process.env.PORT || 3000);
