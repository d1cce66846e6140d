// net.js — Node.js's `net` for what web packages ask of it: isIP, isIPv4 and
// isIPv6, with Node's rules (internal_ip.js). Its servers and sockets are
// not here: flx's servers are http's.
(function (module, exports, native) {
  'use strict';
  const ip = native.require('internal_ip');
  const isIPv4 = (input) => ip.parseIPv4(String(input)) !== null;
  const isIPv6 = (input) => ip.parseIPv6(String(input)) !== null;
  exports.isIPv4 = isIPv4;
  exports.isIPv6 = isIPv6;
  exports.isIP = (input) => (isIPv4(input) ? 4 : isIPv6(input) ? 6 : 0);
});
