// internal_mime.js — media types by extension and their default charset, as
// the `mime` package that Express uses answers for common files.
(function (module, exports) {
  'use strict';
  const TYPES = {
    html: 'text/html', htm: 'text/html', shtml: 'text/html', txt: 'text/plain', text: 'text/plain',
    css: 'text/css', csv: 'text/csv', md: 'text/markdown', markdown: 'text/markdown', xml: 'application/xml',
    js: 'application/javascript', mjs: 'application/javascript', cjs: 'application/node', json: 'application/json',
    map: 'application/json', jsonld: 'application/ld+json', bin: 'application/octet-stream', exe: 'application/octet-stream',
    pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tar: 'application/x-tar',
    wasm: 'application/wasm', form: 'application/x-www-form-urlencoded', urlencoded: 'application/x-www-form-urlencoded',
    multipart: 'multipart/form-data', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif',
    svg: 'image/svg+xml', ico: 'image/x-icon', webp: 'image/webp', bmp: 'image/bmp', avif: 'image/avif',
    mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', mp4: 'video/mp4', webm: 'video/webm',
    woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf', eot: 'application/vnd.ms-fontobject',
    yaml: 'text/yaml', yml: 'text/yaml', ics: 'text/calendar', rtf: 'application/rtf', swf: 'application/x-shockwave-flash',
  };
  // A name ("json"), an extension (".json") or a path ("a/b.json").
  const DIRS_AND_DOTS = /^.*[./\\]/, UTF8_TYPES = /^text\/|^application\/(javascript|json)$/;
  // res.send asks both for the same few names at every request: answers are
  // kept (a regular expression costs QuickJS more than the rest of a lookup),
  // for names shorter than maxLength (not every file's path).
  function remembered(compute, maxLength) {
    const known = new Map();
    return function (key) {
      let answer = known.get(key);
      if (answer === undefined) {
        answer = compute(key);
        if (typeof key === 'string' && key.length < maxLength && known.size < 256) known.set(key, answer);
      }
      return answer;
    };
  }
  const lookup = remembered((name) => {
    const s = String(name).toLowerCase();
    const ext = s.replace(DIRS_AND_DOTS, '');
    return TYPES[ext] || (s.indexOf('.') === -1 && s.indexOf('/') === -1 ? TYPES[s] : undefined) || false;
  }, 16);
  const charset = remembered((type) => {
    const t = String(type).split(';')[0].trim().toLowerCase();
    return UTF8_TYPES.test(t) ? 'UTF-8' : false;
  }, 128);
  module.exports = { lookup, charset, types: TYPES };
});
