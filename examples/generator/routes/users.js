var express = require('express');
var router = express.Router();
var users = [];

/* GET users listing. */
router.get('/', function(req, res, next) {
  res.send('respond with a resource: ' + users.join(','));
});

router.post('/', function(req, res, next) {
  users.push(req.body.name);
  res.status(201).json({ count: users.length, visitor: req.cookies.visitor || null });
});

module.exports = router;
