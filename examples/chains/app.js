// Callback-era code whose callbacks share variables of their request: a
// count of parallel reads done, a body gathered chunk by chunk, a poll that
// counts its own runs, loops whose callbacks read the loop's variables. Each
// request keeps its own, as under node, however
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

// A loop's var is its function's, not each turn's: every callback reads the
// last value, the one it has when the callback runs; a let is each turn's own.
app.get('/loop', function (req, res) {
  var seen = [];
  for (var i = 0; i < 3; i++) {
    var name = 'file' + i;
    fs.stat(__filename, function () {
      seen.push(name + ':' + i);
      if (seen.length === 3) res.json(seen);
    });
  }
});

app.get('/turns', (req, res) => {
  const seen = [];
  for (let i = 0; i < 3; i++)
    setTimeout(() => { seen.push(i); if (seen.length === 3) res.json(seen.sort()); }, 3 - i);
});

app.get('/polls', function (req, res) { res.json({ polls: polls }); });

app.listen(process.env.PORT || 3000);
