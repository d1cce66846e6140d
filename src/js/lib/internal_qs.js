// internal_qs.js — the `qs` package's parse as Express 4 and body-parser's
// extended mode use it: a[b]=c nests, a[]=1&a[]=2 and a=1&a=2 make arrays
// (indices up to 20), depth 5, at most 1000 parameters.
(function (module, exports) {
  'use strict';
  function qsParse(str) {
    const out = {};
    if (typeof str !== 'string' || str === '') return out;
    const decode = (s) => { s = s.replace(/\+/g, ' '); try { return decodeURIComponent(s); } catch (e) { return s; } };
    for (const part of str.split('&').slice(0, 1000)) {
      if (!part) continue;
      const eq = part.indexOf(']=') >= 0 ? part.indexOf(']=') + 1 : part.indexOf('=');
      const key = decode(eq < 0 ? part : part.slice(0, eq)), val = eq < 0 ? '' : decode(part.slice(eq + 1));
      const m = /^([^[\]]*)((?:\[[^\]]*\])*)$/.exec(key);
      if (!m || !m[2] || !m[1]) { assignQs(out, [key], val); continue; }
      const segs = [m[1]];
      m[2].replace(/\[([^\]]*)\]/g, (_, s) => { segs.push(s); return ''; });
      assignQs(out, segs.slice(0, 6), val);
    }
    return out;
  }
  function assignQs(obj, segs, val) {
    let o = obj;
    for (let i = 0; i < segs.length; i++) {
      let k = segs[i];
      const last = i === segs.length - 1;
      if (Array.isArray(o) && k === '') k = o.length;
      else if (Array.isArray(o) && /^\d+$/.test(k) && Number(k) <= 20) k = Number(k);
      else if (Array.isArray(o)) { const obj2 = {}; o.forEach((v, j) => { obj2[j] = v; }); o = obj2; }
      if (last) {
        if (o[k] === undefined) o[k] = val;
        else if (Array.isArray(o[k])) o[k].push(val);
        else o[k] = [o[k], val];
      } else {
        const nextSeg = segs[i + 1];
        if (o[k] === undefined) o[k] = nextSeg === '' || /^\d+$/.test(nextSeg) && Number(nextSeg) <= 20 ? [] : {};
        else if (typeof o[k] !== 'object') o[k] = [o[k]];
        o = o[k];
      }
    }
  }

  module.exports = { parse: qsParse };
});
