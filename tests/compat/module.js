// module.js — a main file's module, exports and require as node gives them;
// tests/compat/module.expected holds Node.js's answers.
const path = require('path');
const out = [];
out.push('types ' + [typeof module, typeof exports, typeof require, typeof require.resolve,
  typeof require.cache].join(' '));
out.push('same ' + (module.exports === exports) + ' ' + (require.main === module));
out.push('id ' + module.id + ' ' + path.basename(module.filename) + ' ' + (module.filename === __filename) +
  ' ' + (path.dirname(__filename) === __dirname));
out.push('resolve ' + require.resolve('path') + ' ' + path.basename(require.resolve('./exit.js')));
exports.a = 1;
out.push('exports ' + JSON.stringify(module.exports));
module.exports = { b: 2 };
out.push('reassigned ' + JSON.stringify(require.main.exports) + ' ' + JSON.stringify(exports));
function later() { return typeof module.exports.b; }   // a declaration, replicated on every worker
out.push('in a function ' + later());
const helpers = { kind: () => typeof module };
out.push('in an arrow ' + helpers.kind());
console.log(out.join('\n'));
