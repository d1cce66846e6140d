// Notes in an embedded pure-JavaScript database (nedb, which writes its file
// with fs.appendFile, fs.writeFile, fs.rename and fsync) and underscore, both
// loaded from the app's own node_modules — old-style ES5, as such apps are.
var express = require('express');
var bodyParser = require('body-parser');
var Datastore = require('nedb');
var _ = require('underscore');
var fs = require('fs');
var os = require('os');
var path = require('path');

var file = path.join(os.tmpdir(), 'flx-notes-' + (process.env.PORT || 3000) + '.db');
if (fs.existsSync(file)) fs.unlinkSync(file);
var db = new Datastore({ filename: file, autoload: true });
db.ensureIndex({ fieldName: 'id', unique: true });
var nextId = 1;

var app = express();
app.use(bodyParser.json());

function view(doc) {
  return _.pick(doc, 'id', 'text', 'tags');
}

app.post('/notes', function (req, res, next) {
  if (!_.isString(req.body.text) || req.body.text === '') return res.status(400).json({ error: 'text is required' });
  var note = { id: nextId++, text: req.body.text, tags: _.uniq(req.body.tags || []) };
  db.insert(note, function (err, doc) {
    if (err) return next(err);
    res.status(201).json(view(doc));
  });
});

app.get('/notes', function (req, res, next) {
  var query = req.query.tag ? { tags: req.query.tag } : {};
  db.find(query).sort({ id: 1 }).exec(function (err, docs) {
    if (err) return next(err);
    res.json(_.map(docs, view));
  });
});

app.get('/notes/:id', function (req, res, next) {
  db.findOne({ id: Number(req.params.id) }, function (err, doc) {
    if (err) return next(err);
    if (!doc) return res.status(404).json({ error: 'no note ' + req.params.id });
    res.json(view(doc));
  });
});

app.put('/notes/:id', function (req, res, next) {
  var change = _.pick(req.body, 'text', 'tags');
  db.update({ id: Number(req.params.id) }, { $set: change }, { returnUpdatedDocs: true }, function (err, n, doc) {
    if (err) return next(err);
    if (!n) return res.sendStatus(404);
    res.json(view(doc));
  });
});

app.delete('/notes/:id', function (req, res, next) {
  db.remove({ id: Number(req.params.id) }, {}, function (err, n) {
    if (err) return next(err);
    res.sendStatus(n ? 204 : 404);
  });
});

// The documents' lines of the database file (one per change; where nedb
// writes the index's own line depends on when the first load ends).
function changes(text) {
  return _.reject(_.compact(text.split('\n')), function (line) { return line.indexOf('$$indexCreated') >= 0; });
}

// Counts per tag, and what the database file holds.
app.get('/stats', function (req, res, next) {
  db.find({}).sort({ id: 1 }).exec(function (err, docs) {
    if (err) return next(err);
    fs.readFile(file, 'utf8', function (err, text) {
      if (err) return next(err);
      res.json({ notes: docs.length, tags: _.countBy(_.flatten(_.pluck(docs, 'tags'))), lines: changes(text).length });
    });
  });
});

// Compaction rewrites the file through a temporary one, a rename and fsync.
app.post('/compact', function (req, res) {
  db.once('compaction.done', function () {
    fs.readFile(file, 'utf8', function (err, text) {
      res.json({ lines: changes(text).length });
    });
  });
  db.persistence.compactDatafile();
});

app.use(function (err, req, res, next) {
  res.status(500).json({ error: err.message });
});

app.listen(process.env.PORT || 3000);
