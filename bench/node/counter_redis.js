// counter_redis.js — seed 004's atomic counter on Node.js cluster: the
// workers share the counter through Redis (GET for reads, INCR for writes),
// the usual way to share state between cluster processes. Byte 0 reads,
// byte 1 increments; the reply is the value as 8 bytes, little-endian.
//   WORKERS=2 REDIS_PORT=6399 node counter_redis.js PORT
'use strict';
const cluster = require('cluster');
const net = require('net');
const port = Number(process.argv[2]);
const workers = Number(process.env.WORKERS || 2);
const redisPort = Number(process.env.REDIS_PORT || 6379);

// A minimal RESP client: commands are pipelined on one connection and the
// replies (status, integers, bulk strings) come back in order.
function redisClient() {
  const sock = net.connect(redisPort, '127.0.0.1');
  sock.setNoDelay(true);
  const waiting = [];
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    for (;;) {
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const type = String.fromCharCode(buf[0]);
      const head = buf.toString('latin1', 1, eol);
      let value, used;
      if (type === ':' || type === '+') {
        value = type === ':' ? Number(head) : head; used = eol + 2;
      } else if (type === '$') {
        const len = Number(head);
        if (len < 0) { value = 0; used = eol + 2; }
        else {
          if (buf.length < eol + 2 + len + 2) return;
          value = Number(buf.toString('latin1', eol + 2, eol + 2 + len)); used = eol + 2 + len + 2;
        }
      } else {
        throw new Error('redis: ' + buf.toString('latin1', 0, eol));
      }
      buf = buf.subarray(used);
      waiting.shift()(value);
    }
  });
  return (cmd, cb) => { waiting.push(cb); sock.write(cmd); };
}

if (cluster.isPrimary) {
  const redis = redisClient();
  redis('SET counter 0\r\n', () => {
    for (let i = 0; i < workers; i++) cluster.fork();
  });
} else {
  const redis = redisClient();
  net.createServer((sock) => {
    sock.setNoDelay(true);
    sock.on('error', () => {});
    sock.on('data', (d) => {
      for (const op of d) {
        redis(op ? 'INCR counter\r\n' : 'GET counter\r\n', (v) => {
          const reply = Buffer.alloc(8);
          reply.writeBigUInt64LE(BigInt(v));
          sock.write(reply);
        });
      }
    });
  }).listen(port, '127.0.0.1');
}
