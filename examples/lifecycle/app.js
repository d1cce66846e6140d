// A server's life as real apps write it: listen first, routes after; a
// route that reads the server; a housekeeping interval that does not hold
// the process (unref) and one a route stops; SIGTERM closes the server.
const express = require('express');
const app = express();
let served = 0, sweeps = 0;

const server = app.listen(process.env.PORT || 3000, () => console.log('listening'));

app.get('/', (req, res) => {
  served++;
  res.type('text').send('served ' + served);
});
app.get('/address', (req, res) => {
  res.json({ listening: server.listening, port: typeof server.address().port });
});
const sweeper = setInterval(() => { sweeps++; }, 5);
app.post('/sweeper/stop', (req, res) => {
  clearInterval(sweeper);
  const at = sweeps;
  // (Under flx the clear reaches the interval's worker by a message, so a
  // tick already on its way may still count: one at most.)
  setTimeout(() => res.json({ stopped: sweeps - at <= 1 }), 30);
});
setInterval(() => {}, 60000).unref();
app.use((req, res) => res.status(404).type('text').send('nothing at ' + req.path));

process.on('SIGTERM', () => server.close(() => console.log('closed')));
