// A URL shortener keeping its links in a Map.
const express = require('express');
const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(express.json());

const links = new Map();
let counter = 1000;

app.post('/shorten', (req, res) => {
  const url = req.body.url;
  if (!url || !/^https?:\/\//.test(url)) return res.status(400).send('a http(s) url, please');
  const id = (counter++).toString(36);
  links.set(id, { url, visits: 0 });
  res.status(201).json({ id, short: '/' + id });
});

app.get('/api/links', (req, res) => {
  res.json([...links].map(([id, l]) => ({ id, url: l.url, visits: l.visits })));
});

app.get('/:id', (req, res) => {
  const link = links.get(req.params.id);
  if (!link) return res.status(404).send('no such link');
  link.visits++;
  res.redirect(link.url);
});

app.listen(process.env.PORT || 3000);
