// net.js — Node.js's `net` for what web packages ask of it: isIP, isIPv4 and
// isIPv6, with Node's rules (no leading zeros in IPv4; IPv6 with ::, an
// IPv4 tail and a %zone). Its servers and sockets are not here: flx's
// servers are http's.
(function (module, exports) {
  'use strict';
  const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
  const V4 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);
  function isIPv6(input) {
    let s = String(input);
    const zone = s.indexOf('%');
    if (zone !== -1) {
      if (!/^[0-9a-zA-Z\-.:]+$/.test(s.slice(zone + 1))) return false;
      s = s.slice(0, zone);
    }
    const last = s.lastIndexOf(':');
    if (last !== -1 && s.indexOf('.', last) !== -1) {   // ::ffff:1.2.3.4: two groups
      if (!V4.test(s.slice(last + 1))) return false;
      s = s.slice(0, last + 1) + '0:0';
    }
    const halves = s.split('::');
    if (halves.length > 2) return false;
    const parts = (h) => (h === '' ? [] : h.split(':'));
    const all = parts(halves[0]).concat(halves.length === 2 ? parts(halves[1]) : []);
    if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
    return halves.length === 2 ? all.length <= 7 : all.length === 8;   // '::' is one group or more
  }
  const isIPv4 = (input) => V4.test(String(input));
  exports.isIPv4 = isIPv4;
  exports.isIPv6 = isIPv6;
  exports.isIP = (input) => (isIPv4(input) ? 4 : isIPv6(input) ? 6 : 0);
});
