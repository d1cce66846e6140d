// echo.js — Node.js peers for the echo benchmark: a `net` echo server, or
// with WORKERS=N the same under the cluster module.
//   node echo.js PORT
'use strict';
const cluster = require('cluster');
const net = require('net');
const port = Number(process.argv[2]);
const workers = Number(process.env.WORKERS || 0);

if (workers > 0 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  net.createServer((sock) => {
    sock.setNoDelay(true);
    sock.on('data', (d) => sock.write(d));
    sock.on('error', () => {});
  }).listen(port, '127.0.0.1');
}
