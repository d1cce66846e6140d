// Seed 000's Listing 1: a file read and a counter shared by every request.
var express = require('express');
var fs = require('fs');
var app = express();
var count = 0;

app.get('/', function (req, res) {
  count++;
  var mine = count;
  fs.readFile(__dirname + '/index.html', 'utf8', function (err, data) {
    if (err) return res.status(500).send('cannot read');
    res.send(data.replace('{{count}}', String(mine)));
  });
});

app.listen(process.env.PORT || 3000);
