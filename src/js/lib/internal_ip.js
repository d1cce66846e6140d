// internal_ip.js — IP addresses read as Node's net.isIP reads them (IPv4
// without leading zeros; IPv6 with ::, an IPv4 tail and a %zone), as bytes
// (4 or 16): net's checks and Express's 'trust proxy' share them.
(function (module, exports) {
  'use strict';
  const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
  const V4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

  function parseIPv4(str) {
    const m = V4.exec(str);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : null;
  }
  function parseIPv6(str) {
    let s = str;
    const zone = s.indexOf('%');
    if (zone !== -1) {
      if (!/^[0-9a-zA-Z\-.:]+$/.test(s.slice(zone + 1))) return null;
      s = s.slice(0, zone);
    }
    const last = s.lastIndexOf(':');
    if (last !== -1 && s.indexOf('.', last) !== -1) {   // ::ffff:127.0.0.1: two groups
      const v4 = parseIPv4(s.slice(last + 1));
      if (!v4) return null;
      s = s.slice(0, last + 1) + ((v4[0] << 8) | v4[1]).toString(16) + ':' + ((v4[2] << 8) | v4[3]).toString(16);
    }
    const halves = s.split('::');
    if (halves.length > 2) return null;
    const groups = (h) => (h === '' ? [] : h.split(':'));
    const head = groups(halves[0]), tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;   // what '::' stands for: one group or more
    if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
    const bytes = [];
    for (const g of head.concat(new Array(halves.length === 2 ? missing : 0).fill('0'), tail)) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      const v = parseInt(g, 16);
      bytes.push(v >> 8, v & 0xff);
    }
    return bytes;
  }
  exports.parseIPv4 = parseIPv4;
  exports.parseIPv6 = parseIPv6;
  exports.parseIP = (str) => parseIPv4(str) || parseIPv6(str);
  // ::ffff:a.b.c.d
  exports.isMapped = (b) => b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
});
