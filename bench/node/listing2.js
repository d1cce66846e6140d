// listing2.js — seed 000's Listing 1 on Node.js + Express: a file read,
// then a counter. With WORKERS=N, the same under the cluster module (whose
// counters then diverge per process — flx's do not).
//   PORT=8080 node listing2.js
'use strict';
const cluster = require('cluster');
const workers = Number(process.env.WORKERS || 0);
if (workers > 0 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  const app = require('express')();
  const fs = require('fs');
  let count = 0;
  app.get('/', function handler(req, res) {
    fs.readFile(__filename, function reply(err, data) {
      count += 1;
      res.send(err ? err.code : count + ' ' + data.length);
    });
  });
  app.get('/cpu', function table(req, res) {
    res.send(render());
  });
  app.listen(Number(process.env.PORT), '127.0.0.1');
}

// About 200 µs of JavaScript: a 200-row HTML table.
function render() {
  let html = '<table>';
  for (let i = 0; i < 200; i++) {
    html += '<tr><td>' + i + '</td><td>' + (i * 2654435761 % 1000) + '</td><td>' +
            ('row ' + i).toUpperCase() + '</td></tr>';
  }
  return html + '</table>';
}
