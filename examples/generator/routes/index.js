var express = require('express');
var router = express.Router();

/* GET home page. */
router.get('/', function(req, res, next) {
  res.send('index of ' + req.app.get('port'));
});

module.exports = router;
