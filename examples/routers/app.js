// Routers in separate files, mounted under prefixes.
const express = require('express');
const users = require('./routes/users');
const items = require('./routes/items');

const app = express();
app.use('/users', users);
app.use('/shop/items', items);
app.get('/', (req, res) => res.send('<a href="/users">users</a>'));

app.listen(process.env.PORT || 3000);
