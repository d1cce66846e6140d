// Plain http, no Express: the floor of the JS host (bench/cpu-per-request).
const http = require('http');
http.createServer((req, res) => res.end('hello')).listen(process.env.PORT || 3000);
