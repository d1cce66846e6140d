// The npm middleware most Express apps load, from the app's own
// node_modules: morgan logs each request (its timing from on-headers),
// helmet and cors set their headers, express-session keeps a visit count
// per browser (its ids made predictable here, so that node's and flx's
// cookies compare), http-errors makes the errors the handler answers.
const express = require('express');
const morgan = require('morgan');
const session = require('express-session');
const helmet = require('helmet');
const cors = require('cors');
const createError = require('http-errors');

let sessions = 0;
const app = express();
app.use(morgan(':method :url :status :res[content-length]'));
app.use(helmet());
app.use(cors({ origin: 'https://example.com' }));
app.use(session({ secret: 'flx-example', resave: false, saveUninitialized: false, genid: () => 'session-' + ++sessions }));

app.get('/visit', (req, res) => {
  req.session.visits = (req.session.visits || 0) + 1;
  res.json({ visits: req.session.visits });
});
app.post('/logout', (req, res, next) => req.session.destroy((err) => (err ? next(err) : res.json({ bye: true }))));
app.get('/teapot', (req, res, next) => next(createError(418, 'short and stout')));
app.get('/missing', (req, res, next) => next(createError.NotFound()));
app.use((req, res, next) => next(createError(404)));
app.use((err, req, res, next) => {
  res.status(err.status || 500).json({ error: err.message, expose: err.expose, name: err.name });
});

app.listen(process.env.PORT || 3000);
