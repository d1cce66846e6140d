// net.js — net's address checks, tty.isatty and process.stdout/stderr as
// packages use them; tests/compat/net.expected holds Node.js's answers.
const net = require('net'), tty = require('tty');
const xs = ['127.0.0.1', '1.2.3', '01.2.3.4', '255.255.255.255', '256.1.1.1', '::', '::1', '1::', 'fe80::1%eth0', '::ffff:127.0.0.1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', 'g::1', '', 'abc', '::ffff:1.2.3.256', '1:2:3:4:5:6:7::'];
console.log(xs.map((x) => JSON.stringify(x) + ' ' + net.isIP(x) + net.isIPv4(x) + net.isIPv6(x)).join('\n'));
console.log(typeof tty.isatty, tty.isatty(99), typeof process.stdout.write, process.stdout.fd, process.stderr.fd, process.stdout.isTTY);
process.stdout.write('raw ');
process.stdout.write(Buffer.from('bytes\n'));
console.log('after');
