// The smallest grouped Express route: a counter (bench/cpu-per-request).
const express = require('express');
const app = express();
let count = 0;
app.get('/', (req, res) => { count++; res.send('hello ' + count); });
app.listen(process.env.PORT || 3000);
