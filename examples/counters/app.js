// A counter per route, ES5 style: each route's state is its own group.
var express = require('express');
var app = express();
var hits = { a: 0, b: 0 };
var total = 0;

app.get('/a', function (req, res) {
  hits.a += 1;
  res.json({ route: 'a', n: hits.a });
});
app.get('/b', function (req, res) {
  hits.b += 1;
  res.json({ route: 'b', n: hits.b });
});
app.get('/total', function (req, res) {
  total += 1;
  res.type('text').send('total ' + total);
});
var seen = 0;
app.get('/seen/:who', function (req, res) {
  seen += 1;
  res.json({ who: req.params.who, route: req.route.path, methods: req.route.methods,
    handlers: req.route.stack.length, seen: seen });
});
app.get('/stats', function (req, res) {
  res.json(hits);
});

app.listen(process.env.PORT || 3000);
