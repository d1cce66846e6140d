// An ES module app on Express 5: no body parser (req.body stays undefined),
// named wildcards, async handlers whose rejections reach the error page.
import express from 'express';
import { readFile } from 'fs/promises';
import { fileURLToPath } from 'url';
import path from 'path';

const here = path.dirname(fileURLToPath(import.meta.url));
const app = express();
let visits = 0;

app.get('/', async (req, res) => {
  const visit = ++visits;
  const motto = (await readFile(path.join(here, 'motto.txt'), 'utf8')).trim();
  res.json({ motto, visits: visit, body: req.body === undefined ? 'undefined' : req.body });
});
app.post('/echo', (req, res) => res.json({ body: req.body === undefined ? 'undefined' : req.body }));
app.get('/files/*rest', (req, res) => res.json(req.params));
app.get('/fail', async () => { throw new Error('async failure'); });

app.listen(process.env.PORT || 3000);
