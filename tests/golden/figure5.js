var app = require('express')(), fs = require('fs');
var a = 0;
var c = 0;

app.get('/', function onReq(req, res) {
  var b = req.query.count;
  fs.readFile(__filename, function add(err, v) {
    a += b + c + v.length;
    fs.writeFile('/tmp/flx-fig5', String(a), function end(updt) {
      c = updt;
      res.end();
    });
  });
});

app.listen(8080);
