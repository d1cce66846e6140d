// File upload and download through fs: the body is written to a folder,
// listed, read back and deleted.
const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
const dir = path.join(require('os').tmpdir(), 'flx-files-' + (process.env.PORT || 3000));
fs.mkdirSync(dir, { recursive: true });
for (const f of fs.readdirSync(dir)) fs.unlinkSync(path.join(dir, f));

app.put('/files/:name', express.raw({ type: '*/*', limit: '1mb' }), (req, res, next) => {
  if (!/^[\w.-]+$/.test(req.params.name)) return res.status(400).send('bad name');
  fs.writeFile(path.join(dir, req.params.name), req.body, (err) => {
    if (err) return next(err);
    res.status(201).json({ name: req.params.name, bytes: req.body.length });
  });
});

app.get('/files', (req, res, next) => {
  fs.readdir(dir, (err, names) => {
    if (err) return next(err);
    res.json(names.sort());
  });
});

app.get('/files/:name', (req, res) => {
  res.download(path.join(dir, req.params.name), (err) => {
    if (err && !res.headersSent) res.status(404).send('no such file');
  });
});

app.delete('/files/:name', (req, res) => {
  fs.unlink(path.join(dir, req.params.name), (err) => {
    res.sendStatus(err ? 404 : 204);
  });
});

app.listen(process.env.PORT || 3000);
