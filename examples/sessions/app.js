// An in-memory session store, as small apps keep one: a middleware finds the
// visitor's session by its cookie and puts it on req; the handlers change it
// through req.session. Under flx they join the store's group, where each
// gets the very session object (the compiler says why).
const express = require('express');
const cookieParser = require('cookie-parser');

const app = express();
app.use(cookieParser());

const sessions = new Map();
let nextId = 1;
let served = 0;

app.use(function session(req, res, next) {
  let id = req.cookies.sid;
  if (!id || !sessions.has(id)) {
    id = 's' + nextId++;
    sessions.set(id, { cart: [], visits: 0 });
    res.cookie('sid', id, { httpOnly: true });
  }
  req.session = sessions.get(id);
  next();
});

app.get('/cart', (req, res) => res.json(req.session.cart));

app.get('/cart/add', (req, res) => {
  if (!req.query.item) return res.status(400).json({ error: 'item required' });
  req.session.cart.push(req.query.item);
  res.json(req.session.cart);
});

app.get('/cart/clear', (req, res) => {
  req.session.cart = [];
  res.json(req.session.cart);
});

app.get('/visit', (req, res) => {
  req.session.visits++;
  served++;
  res.send(`visit ${req.session.visits}, served ${served}`);
});

app.get('/sessions', (req, res) => res.json({ sessions: sessions.size }));

// Route-level middleware, as checks are often written: it puts the visitor's
// past orders on req for the handler after it.
const orders = new Map();
function withOrders(req, res, next) {
  const sid = req.cookies.sid || 'nobody';
  if (!orders.has(sid)) orders.set(sid, []);
  req.orders = orders.get(sid);
  next();
}
app.get('/order', withOrders, (req, res) => {
  req.orders.push(req.session.cart.slice());
  req.session.cart = [];
  res.json({ orders: req.orders.length, last: req.orders[req.orders.length - 1] });
});

// A router of its own, mounted at /api, keeping a wish list per visitor the
// same way.
const api = express.Router();
const wishlists = new Map();
api.use((req, res, next) => {
  const sid = req.cookies.sid || 'nobody';
  if (!wishlists.has(sid)) wishlists.set(sid, []);
  req.wishes = wishlists.get(sid);
  next();
});
api.get('/wish/:item', (req, res) => {
  req.wishes.push(req.params.item);
  res.json(req.wishes);
});
api.get('/wishes', (req, res) => res.json(req.wishes));
app.use('/api', api);

app.listen(process.env.PORT || 3000);
