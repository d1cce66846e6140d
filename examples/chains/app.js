// Callback-era code whose callbacks share variables of their request: a
// count of parallel reads done, a body gathered chunk by chunk, a poll that
// counts its own runs. Each request keeps its own, as under node, however
// many run at once.
var express = require('express');
var fs = require('fs');
var path = require('path');
var app = express();
var polls = 0;   // the program's: every request's runs

app.get('/join', function (req, res) {
  var names = ['a.txt', 'b.txt', 'c.txt'];
  var done = 0, sizes = [];
  names.forEach(function (name, i) {
    fs.readFile(path.join(__dirname, 'data', name), 'utf8', function (err, text) {
      if (err) return res.status(500).send(err.message);
      sizes[i] = text.length;   // they finish in any order
      done++;
      if (done === names.length) res.json({ done: done, sizes: sizes });
    });
  });
});

app.post('/echo', function (req, res) {
  var body = '';
  req.setEncoding('utf8');
  req.on('data', function (chunk) { body += chunk; });
  req.on('end', function () { res.type('text/plain').send('got ' + body); });
});

app.get('/poll', function (req, res) {
  var runs = 0;
  var timer = setInterval(function () {
    runs++;
    polls++;
    if (runs === 3) {
      clearInterval(timer);
      res.json({ runs: runs, id: req.query.id });
    }
  }, 2);
});

app.get('/polls', function (req, res) { res.json({ polls: polls }); });

app.listen(process.env.PORT || 3000);
