// Old Express 4 code: res.send(status, body), res.sendfile, regex routes
// with req.params[0], app.param, util.promisify(fs.readFile), signed cookies.
var express = require('express');
var cookieParser = require('cookie-parser');
var util = require('util');
var fs = require('fs');
var readFile = util.promisify(fs.readFile);

var app = express();
app.use(cookieParser('keyboard cat'));

var people = { ada: 'Lovelace', alan: 'Turing' };
app.param('name', function (req, res, next, name) {
  req.person = people[name];
  if (!req.person) return res.send(404, 'who is ' + name + '?');
  next();
});

app.get('/people/:name', function (req, res) {
  res.send(200, req.params.name + ' ' + req.person);
});

// The object a param callback finds is changed by the handler: one object,
// whichever worker the request came in on.
var members = [{ name: 'ada', visits: 0 }, { name: 'alan', visits: 0 }];
app.param('member', function (req, res, next, name) {
  req.member = members.filter(function (m) { return m.name === name; })[0];
  if (!req.member) return res.send(404, 'not a member: ' + name);
  next();
});
app.get('/members/:member', function (req, res) {
  req.member.visits += 1;
  res.send('visit ' + req.member.visits);
});
app.get(/^\/years\/(\d{4})$/, function (req, res) {
  res.json({ year: Number(req.params[0]) });
});
app.get('/readme', function (req, res) {
  res.sendfile(__dirname + '/README.txt');
});
app.get('/readme-lines', function (req, res, next) {
  readFile(__dirname + '/README.txt', 'utf8').then(function (text) {
    res.json({ lines: text.split('\n').length });
  }, next);
});
app.get('/login', function (req, res) {
  res.cookie('user', 'ada', { signed: true, httpOnly: true });
  res.cookie('theme', 'dark');
  res.send('logged in');
});
app.get('/whoami', function (req, res) {
  res.json({ user: req.signedCookies.user || null, theme: req.cookies.theme || null });
});

app.listen(process.env.PORT || 3000);
