// Server-rendered pages, the way many Express apps are written: EJS templates
// (from the app's own node_modules) with partials, app.locals for what every
// page shows, res.locals set by a middleware, a custom engine registered with
// app.engine, and a page that counts its visits.
const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
app.set('views', path.join(__dirname, 'views'));
app.set('view engine', 'ejs');
app.locals.title = 'flx shop';
app.locals.price = (n) => '$' + n.toFixed(2);
app.locals.escape = require('ejs').escapeXML;

const items = [
  { id: 1, name: 'Teapot', price: 24.5 },
  { id: 2, name: 'Cup & saucer', price: 8 },
  { id: 3, name: '<Kettle>', price: 31.25 },
];
let visits = 0;

// The engine of Express's guide: #title# and #message# replaced.
app.engine('ntl', function (filePath, options, callback) {
  fs.readFile(filePath, function (err, content) {
    if (err) return callback(err);
    const rendered = content.toString()
      .replace('#title#', '<title>' + options.title + '</title>')
      .replace('#message#', '<h1>' + options.message + '</h1>');
    return callback(null, rendered);
  });
});

app.use(function (req, res, next) {
  res.locals.user = req.query.user || 'guest';
  next();
});

app.get('/', function (req, res) {
  res.render('index', { items: items, heading: 'All items' });
});

app.get('/items/:id', function (req, res) {
  const item = items.find((i) => i.id === Number(req.params.id));
  if (!item) return res.status(404).render('notfound', { what: req.params.id });
  res.render('item.ejs', { item: item });
});

// A rendering handed to the handler, not sent.
app.get('/items/:id/size', function (req, res, next) {
  const item = items.find((i) => i.id === Number(req.params.id));
  res.render('item', { item: item || items[0] }, function (err, html) {
    if (err) return next(err);
    res.json({ bytes: Buffer.byteLength(html), lines: html.split('\n').length });
  });
});

app.get('/hello', function (req, res) {
  res.render('hello.ntl', { message: 'Hello ' + (req.query.name || 'there') });
});

app.get('/visits', function (req, res) {
  visits++;
  res.render('visits', { visits: visits });
});

app.get('/broken', function (req, res) {
  res.render('nowhere');
});

app.listen(process.env.PORT || 3000);
