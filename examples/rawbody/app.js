// Seed 000's Listing 3 pattern: a middleware reads the raw body itself,
// sets req.body from its callback and calls next().
var express = require('express');
var app = express();

function getRawBody(req, callback) {
  var chunks = [];
  req.on('data', function (chunk) { chunks.push(chunk); });
  req.on('end', function () { callback(null, Buffer.concat(chunks).toString('utf8')); });
}

app.use(function (req, res, next) {
  if (req.method !== 'POST') return next();
  getRawBody(req, function (err, string) {
    if (err) return next(err);
    req.text = string;
    req.words = string.split(/\s+/).filter(Boolean).length;
    next();
  });
});

app.post('/count', function (req, res) {
  res.json({ words: req.words, chars: req.text.length });
});

app.post('/upper', function (req, res) {
  res.type('text/plain').send(req.text.toUpperCase());
});

app.listen(process.env.PORT || 3000);
