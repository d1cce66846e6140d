// A CPU-heavy stateless route: a 200-row HTML table per request.
const express = require('express');
const app = express();

function row(i) {
  const name = 'item-' + i.toString(36);
  let h = 0;
  for (let k = 0; k < name.length; k++) h = (h * 31 + name.charCodeAt(k)) >>> 0;
  return `<tr><td>${i}</td><td>${name}</td><td>${(h % 1000) / 10}</td></tr>`;
}

app.get('/table', (req, res) => {
  const n = Math.min(Number(req.query.rows) || 200, 1000);
  let html = '<table><tr><th>#</th><th>name</th><th>score</th></tr>';
  for (let i = 0; i < n; i++) html += row(i);
  res.send(html + '</table>');
});

app.listen(process.env.PORT || 3000);
