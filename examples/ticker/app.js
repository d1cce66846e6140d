// State changed by setInterval: a ticker that requests read and reset.
const express = require('express');
const app = express();

let ticks = 0;
let resets = 0;
setInterval(() => { ticks += 1; }, 20);

app.get('/ticking', (req, res) => {
  res.json({ ticking: ticks > 0, resets });
});

app.post('/reset', (req, res) => {
  ticks = 0;
  resets += 1;
  res.json({ resets });
});

app.listen(process.env.PORT || 3000);
