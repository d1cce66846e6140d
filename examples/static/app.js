// express.static over a folder, with an API route beside it.
const express = require('express');
const path = require('path');

const app = express();
app.use(express.static(path.join(__dirname, 'public')));
app.get('/api/time-zone', (req, res) => res.json({ tz: 'UTC' }));

app.listen(process.env.PORT || 3000);
