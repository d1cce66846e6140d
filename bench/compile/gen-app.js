// gen-app.js — writes a generated Express application of about N lines
// (default 5,000) for the compile-time benchmark: routes with callbacks
// nested two deep, counters per route, shared arrays, helpers.
//   node bench/compile/gen-app.js [LINES] > app.js
'use strict';
const lines = Number(process.argv[2] || 5000);
const out = [];
out.push("const express = require('express');");
out.push("const fs = require('fs');");
out.push('const app = express();');
out.push('const config = { prefix: "/api", limit: 100 };');
out.push('const shared = [];');
let i = 0;
while (out.length < lines - 2) {
  out.push(`let hits${i} = 0;`);
  out.push(`function format${i}(x) { return config.prefix + ':' + x; }`);
  out.push(`app.get('/r${i}/:id', function route${i}(req, res) {`);
  out.push(`  const id = req.params.id;`);
  out.push(`  fs.readFile(__filename, function read${i}(err, data) {`);
  out.push(`    hits${i} += 1;`);
  out.push(`    if (${i} % 7 === 0) shared.push(id);`);
  out.push(`    setTimeout(() => {`);
  out.push(`      res.json({ id, n: hits${i}, f: format${i}(id), len: shared.length });`);
  out.push(`    }, 0);`);
  out.push(`  });`);
  out.push(`});`);
  i++;
}
out.push('app.listen(process.env.PORT || 3000);');
process.stdout.write(out.join('\n') + '\n');
