// run.js — the differential tests: each application of examples/ that has an
// e2e.json runs under Node.js + Express and under `flx run --workers 2`; the
// same requests go to both, in order, and their status, content type,
// Location, ETag, Set-Cookie and body must agree. Then 2,000 requests from 32
// connections go to flx alone: nothing lost, no 5xx unless asked for, and
// counters exact (the values a single-threaded run would give). Last, start-up
// failures and malformed requests get what node gives them. An app starts
// from app.js (app.mjs), or from e2e.json's "main" (bin/www).
//   node tests/e2e/run.js [NAME...]
'use strict';
const http = require('http');
const net = require('net');
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const root = path.resolve(__dirname, '../..');
const flx = path.join(root, 'build/flx');
const results = [];
const only = process.argv.slice(2);

function report(ok, name, detail) {
  results.push(ok);
  console.log(`${ok ? 'ok' : 'not ok'} ${results.length} - ${name}${ok || !detail ? '' : '\n#   ' + detail.replace(/\n/g, '\n#   ')}`);
}

function depsFor(spec) {
  const dir = path.join(__dirname, spec.express === 5 ? 'deps5' : 'deps4');
  if (!fs.existsSync(path.join(dir, 'node_modules/express')))
    spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: dir, stdio: 'inherit' });
  return path.join(dir, 'node_modules');
}

// An app with a package-lock.json brings its own node_modules (nedb,
// underscore): installed as pinned there, as its users would.
function installOwn(dir) {
  if (fs.existsSync(path.join(dir, 'node_modules/.package-lock.json'))) return;
  spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: dir, stdio: 'inherit' });
}

function start(cmd, args, cwd, env) {
  const child = spawn(cmd, args, { cwd, env: Object.assign({}, process.env, env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.log = '';
  child.stdout.on('data', (d) => { child.log += d; });
  child.stderr.on('data', (d) => { child.log += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

async function stop(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await child.exited;
  clearTimeout(t);
}

function waitPort(port, child, ms = 15000) {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    (function attempt() {
      if (child.exitCode !== null) return reject(new Error('exited: ' + child.log));
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve(); });
      s.on('error', () => {
        if (Date.now() > until) reject(new Error('no answer on port ' + port + ': ' + child.log));
        else setTimeout(attempt, 50);
      });
    })();
  });
}

// "METHOD PATH [BODY | cookie:VALUE]"
function parseRequest(line) {
  const m = /^(\S+) (\S+)(?: ([\s\S]*))?$/.exec(line);
  const req = { method: m[1], path: m[2], headers: {}, body: undefined };
  const rest = m[3];
  const header = rest !== undefined && /^header:([^:]+):\s*([\s\S]*)$/.exec(rest);   // header:Range: bytes=0-1
  if (header) req.headers[header[1].toLowerCase()] = header[2];
  else if (rest !== undefined && rest.startsWith('cookie:')) req.headers.cookie = rest.slice(7);
  else if (rest !== undefined) {
    req.body = rest;
    req.headers['content-type'] = /^[{[]|^bad/.test(rest) ? 'application/json' : 'text/plain';
  }
  return req;
}

function send(port, req, agent) {
  return new Promise((resolve) => {
    const headers = Object.assign({}, req.headers);
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    r.on('error', (e) => resolve({ status: 0, headers: {}, body: 'error: ' + e.message }));
    r.setTimeout(10000, () => r.destroy(new Error('no answer in 10 s')));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

// What must agree. An error page's stack differs between engines: its first
// line (the error itself) must not.
// A content ETag (res.send's: W/"len-<27 characters of SHA-1>") must agree; a
// file's (W/"size-mtime") differs when each server wrote its own copy.
function contentTag(tag) {
  return tag && /^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/.test(tag) ? tag : null;
}

function comparable(res) {
  let body = res.body;
  if (/^<!DOCTYPE html>[\s\S]*<pre>/.test(body)) body = body.replace(/<pre>([\s\S]*?)(<br>[\s\S]*)?<\/pre>/, '<pre>$1</pre>');
  const cookies = [].concat(res.headers['set-cookie'] || []).map((c) => c.replace(/Expires=[^;]*/, 'Expires=*'));
  return { status: res.status, type: res.headers['content-type'] || null, location: res.headers.location || null,
           etag: contentTag(res.headers.etag), cookies, body };
}

async function differential(name, dir, spec, index) {
  const app = spec.main || (fs.existsSync(path.join(dir, 'app.mjs')) ? 'app.mjs' : 'app.js');
  const nodePort = 21000 + index * 2, flxPort = nodePort + 1;
  const modules = depsFor(spec);
  const link = path.join(dir, 'node_modules');
  if (fs.existsSync(path.join(dir, 'package-lock.json'))) installOwn(dir);   // the app's own packages
  else if (spec.express === 5 && !fs.existsSync(link)) fs.symlinkSync(path.relative(dir, modules), link);   // ESM ignores NODE_PATH
  const node = start('node', [app], dir, { PORT: nodePort, NODE_PATH: modules });
  const flxp = start(flx, ['run', app, '--workers', '2'], dir, { PORT: flxPort });
  try {
    await Promise.all([waitPort(nodePort, node), waitPort(flxPort, flxp)]);
  } catch (e) {
    report(false, `${name}: both start`, e.message);
    await Promise.all([stop(node), stop(flxp)]);
    return;
  }
  await new Promise((r) => setTimeout(r, 200));   // let timers of the app run once
  let same = true, detail = '';
  for (const line of spec.requests) {
    const req = parseRequest(line);
    const a = comparable(await send(nodePort, req, false)), b = comparable(await send(flxPort, req, false));
    const ja = JSON.stringify(a), jb = JSON.stringify(b);
    if (ja !== jb) {
      same = false;
      detail += `${line}\n  node: ${ja.slice(0, 400)}\n  flx:  ${jb.slice(0, 400)}\n`;
    }
  }
  report(same, `${name}: ${spec.requests.length} requests answered as node answers`, detail);

  for (const c of [].concat(spec.concurrent || [])) await concurrent(name, flxPort, c);
  await Promise.all([stop(node), stop(flxp)]);
  const crashed = /AddressSanitizer|Assertion|Segmentation/.test(flxp.log);
  report(!crashed, `${name}: flx stops cleanly`, flxp.log.slice(-2000));
}

// c: path (method, body); then what every answer must be: status (else no
// 5xx), expect (a pattern its body matches), echo (a pattern whose group is
// the body its request sent: each request's body is made its own), count.
async function concurrent(name, port, c) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const total = 2000;
  const answers = [];
  let next = 0;
  async function lane() {
    while (next < total) {
      const body = c.echo ? `${c.body} ${next}` : c.body;
      const req = { method: c.method || 'GET', path: c.path, headers: {}, body };
      if (body !== undefined) req.headers['content-type'] = c.echo ? 'text/plain' : 'application/json';
      next++;
      const answer = await send(port, req, agent);
      answer.sent = body;
      answers.push(answer);
    }
  }
  await Promise.all(Array.from({ length: 32 }, lane));
  agent.destroy();
  const statuses = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] || 0) + 1;
  const want = c.status;
  const bad = answers.filter((a) => (want ? a.status !== want : a.status >= 500 || a.status === 0));
  report(answers.length === total && bad.length === 0,
    `${name}: ${total} concurrent ${c.method || 'GET'} ${c.path} from 32 connections, all answered${want ? ' ' + want : ', no 5xx'}`,
    `statuses ${JSON.stringify(statuses)}; first bad: ${bad[0] && bad[0].body.slice(0, 300)}`);
  const own = (a) => {
    if (c.expect && !new RegExp(c.expect).test(a.body)) return false;
    const m = c.echo && new RegExp(c.echo).exec(a.body);
    return !c.echo || (m !== null && m[1] === a.sent);
  };
  if (c.expect || c.echo) {
    const wrong = answers.filter((a) => !own(a));
    report(wrong.length === 0, `${name}: every concurrent answer is its own request's (${c.expect || c.echo})`,
      `${wrong.length} wrong; first: sent ${JSON.stringify(wrong[0] && wrong[0].sent)}, got ${JSON.stringify(wrong[0] && wrong[0].body.slice(0, 300))}`);
  }
  if (c.count) {
    const re = new RegExp(c.count);
    const values = answers.map((a) => { const m = re.exec(a.body); return m ? parseInt(m[1], c.base || 10) : NaN; });
    const distinct = new Set(values);
    const min = Math.min(...values), max = Math.max(...values);
    const exact = !values.some(Number.isNaN) && distinct.size === total && max - min + 1 === total;
    report(exact, `${name}: the counter is exact (${total} distinct consecutive values)`,
      `distinct ${distinct.size}, min ${min}, max ${max}, unparsed ${values.filter(Number.isNaN).length}`);
  }
}

// A program that throws while starting exits 1, with the error, as under node.
async function startupFailure() {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'flx-e2e-'));
  fs.writeFileSync(path.join(dir, 'app.js'), "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('x'));\nthrow new Error('configuration missing');\n");
  const n = spawnSync('node', ['app.js'], { cwd: dir, env: Object.assign({}, process.env, { NODE_PATH: depsFor({}) }), encoding: 'utf8' });
  const f = spawnSync(flx, ['run', 'app.js'], { cwd: dir, encoding: 'utf8', timeout: 20000 });
  report(n.status === 1 && f.status === 1 && /configuration missing/.test(f.stderr),
    'a program that throws while starting exits 1 under both', `node ${n.status}, flx ${f.status}: ${f.stderr}`);
  fs.writeFileSync(path.join(dir, 'app.js'), "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('x'))\n  .listen(3000;\n");
  const s = spawnSync(flx, ['run', 'app.js'], { cwd: dir, encoding: 'utf8', timeout: 20000 });
  report(s.status !== 0 && /app\.js:4:\d+/.test(s.stderr) && /\^/.test(s.stderr),
    'a syntax error in the app names file:line:col with a caret', s.stderr);
  fs.rmSync(dir, { recursive: true, force: true });
}

// A malformed request gets node's 400, and the server goes on.
async function malformed() {
  const dir = path.join(root, 'examples/counters');
  const port = 20990;
  const node = start('node', ['app.js'], dir, { PORT: port, NODE_PATH: depsFor({}) });
  const flxp = start(flx, ['run', 'app.js', '--workers', '2'], dir, { PORT: port + 1 });
  await Promise.all([waitPort(port, node), waitPort(port + 1, flxp)]);
  function raw(p) {
    return new Promise((resolve) => {
      const s = net.connect(p, '127.0.0.1', () => s.write('GET /a HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      let got = '';
      s.on('data', (d) => { got += d; });
      s.on('close', () => resolve(got.split('\r\n')[0]));
      s.on('error', () => resolve('error'));
      setTimeout(() => s.destroy(), 3000);
    });
  }
  const a = await raw(port), b = await raw(port + 1);
  const after = await send(port + 1, parseRequest('GET /stats'));
  report(a === b && /400/.test(b) && after.status === 200, 'a malformed request gets 400 as under node, and flx goes on',
    `node "${a}", flx "${b}", then ${after.status}`);
  await Promise.all([stop(node), stop(flxp)]);
}

(async () => {
  const examples = path.join(root, 'examples');
  const names = fs.readdirSync(examples).filter((n) => fs.existsSync(path.join(examples, n, 'e2e.json'))).sort();
  let index = 0;
  for (const name of names) {
    index++;
    if (only.length && !only.includes(name)) continue;
    const spec = JSON.parse(fs.readFileSync(path.join(examples, name, 'e2e.json'), 'utf8'));
    if (spec.known && !only.includes(name)) {   // a known gap, said out loud
      console.log(`# SKIP ${name}: ${spec.known}`);
      continue;
    }
    await differential(name, path.join(examples, name), spec, index);
  }
  if (!only.length) {
    await startupFailure();
    await malformed();
  }
  const passed = results.filter(Boolean).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  process.exit(passed === results.length ? 0 : 1);
})();
