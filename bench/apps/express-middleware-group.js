// A counting middleware in a group that calls next(), then a stateless route (bench/cpu-per-request).
const express = require('express');
const app = express();
let hits = 0;
app.use((req, res, next) => { hits++; next(); });
app.get('/', (req, res) => res.send('hello'));
app.get('/hits', (req, res) => res.json({ hits }));
app.listen(process.env.PORT || 3000);
