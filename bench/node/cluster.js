// cluster.js — an unmodified Express application under Node's cluster
// module: WORKERS processes (default 2) share the app's listening port. Each
// has its own copy of the app's state, so its counters diverge per process.
//   PORT=8080 WORKERS=2 node bench/node/cluster.js examples/todo/app.js
'use strict';
const cluster = require('cluster');
const path = require('path');
if (cluster.isPrimary) {
  for (let i = 0; i < Number(process.env.WORKERS || 2); i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const id in cluster.workers) cluster.workers[id].kill('SIGTERM');
    process.exit(0);
  });
} else {
  require(path.resolve(process.argv[2]));
}
