#!/usr/bin/env bash
# cli.sh — the flx command seen from a shell: exit codes, messages on
# stderr, and each output format of `flx compile` and `flx check`.
#   tests/cli.sh build/flx
set -u
flx=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

check() {  # check NAME CONDITION...: one test
  local name=$1; shift
  if "$@"; then
    passed=$((passed + 1)); echo "ok - $name"
  else
    failed=$((failed + 1)); echo "not ok - $name"
  fi
}

cat > "$work/app.js" <<'JS'
var app = require('express')(),
    fs = require('fs'),
    count = 0;
app.get('/', function handler(req, res) {
  fs.readFile(__filename, function reply(err, data) {
    count += 1;
    res.send(err || String(count));
  });
});
app.listen(8080);
JS
printf 'var a = 1;\nvar b = (2;\n' > "$work/bad.js"
printf 'flx main\n>> h\n  go(-> h);\n\nflx h\n-> null\n' > "$work/bad.flx"

"$flx" compile "$work/bad.js" > "$work/out" 2> "$work/err"
check "syntax error exits 2" test $? -eq 2
check "syntax error names file:line:col" grep -q "bad.js:2:11: error: syntax error" "$work/err"
check "syntax error shows the line and a caret" \
  bash -c "grep -qx 'var b = (2;' '$work/err' && grep -qx '          ^' '$work/err'"

"$flx" compile "$work/app.js" -o "$work/app.flx" 2> "$work/err"
check "compile -o writes a program" grep -q '^flx reply & grp_count {count = 0}' "$work/app.flx"
check "compile -o - writes to standard output" \
  bash -c "'$flx' compile '$work/app.js' -o - | cmp -s - '$work/app.flx'"
check "the program it writes checks" bash -c "'$flx' check '$work/app.flx' > /dev/null"
check "check prints it unchanged" bash -c "'$flx' check '$work/app.flx' | cmp -s - '$work/app.flx'"

"$flx" compile "$work/app.js" --json > "$work/app.json"
check "json lists the fluxions" grep -q '"name": "reply", "group": "grp_count", "context": \["count"\]' "$work/app.json"
check "json is valid" node -e "JSON.parse(require('fs').readFileSync('$work/app.json', 'utf8'))"

"$flx" compile "$work/app.js" --graph dot > "$work/app.dot"
check "dot draws start streams double" grep -q '"main" -> "handler" \[color="black:invis:black"' "$work/app.dot"
"$flx" compile "$work/app.js" --graph svg > "$work/app.svg"
check "svg is rendered by Graphviz" grep -q '<svg' "$work/app.svg"

"$flx" compile "$work/app.js" --explain > "$work/explain"
check "explain says the group and the variable that made it" \
  bash -c "grep -q '^group grp_count: 1 fluxion' '$work/explain' &&
           grep -q '^    count (declared line 3); changed at line 6 (reply); read at line 7 (reply)' '$work/explain'"
cat > "$work/alias.js" <<'EOF'
const app = require('express')();
const users = [{ id: 1, visits: 0 }];
app.get('/', function visit(req, res) {
  const u = users.find((x) => x.id === 1);
  u.visits++;
  res.json(u);
});
app.listen(3000);
EOF
"$flx" compile "$work/alias.js" --explain > "$work/explain-alias"
check "explain names a change made through another name" \
  grep -q '^    users (declared line 2); changed at line 5 (visit_state); read at line 4 (visit_state)' "$work/explain-alias"
check "explain says which statements of a handler run in its group" \
  bash -c "grep -q '^  visit_state  *line 4  the statements of visit that touch its state, line 4 to 5' '$work/explain-alias' &&
           grep -q '^ *its statements that touch state go to grp_users (visit_state)' '$work/explain-alias'"
check "explain says what runs in parallel" \
  bash -c "grep -A1 '^in parallel' '$work/explain' | grep -q \"handler  *line 4  app.get('/', …)\""
"$flx" run "$work/app.flx" --explain 2> "$work/err"
check "run --explain on a .flx exits 2 and says why" \
  bash -c "test $? -eq 2 && grep -q 'needs the application' '$work/err'"

"$flx" check "$work/bad.flx" 2> "$work/err"
check "a bad .flx exits 2" test $? -eq 2
check "a bad .flx names file:line:col" grep -q "bad.flx:3:6: error: '-> h' is not a stream" "$work/err"

"$flx" compile 2> /dev/null
check "usage errors exit 2" test $? -eq 2
"$flx" nonsense 2> "$work/err"
check "an unknown command exits 2 and says so" grep -q "unknown command 'nonsense'" "$work/err"

# Golden files: seed 000's listings and figure, compiled; the .flx and the
# warnings as they were reviewed. (Regenerate one after reviewing a change:
# build/flx compile tests/golden/X.js > tests/golden/X.flx 2> tests/golden/X.warnings)
for js in tests/golden/*.js; do
  "$flx" compile "$js" > "$work/golden.flx" 2> "$work/golden.warnings"
  check "golden $(basename "$js" .js): program" cmp -s "$work/golden.flx" "${js%.js}.flx"
  check "golden $(basename "$js" .js): warnings" cmp -s "$work/golden.warnings" "${js%.js}.warnings"
done

# Built-in modules against Node.js: each tests/compat/X.js prints its calls'
# answers; tests/compat/X.expected holds Node's (node tests/compat/X.js >
# tests/compat/X.expected records them again).
for js in tests/compat/*.js; do
  (cd tests/compat && timeout 30 "../../$flx" run "$(basename "$js")") > "$work/compat.out" 2>&1
  check "compat $(basename "$js" .js): as Node.js answers" cmp -s "$work/compat.out" "${js%.js}.expected"
done

# process.on('SIGTERM'): the listener runs (flx goes on until it exits);
# without one, SIGTERM stops flx gracefully with 0.
wait_for() {  # wait_for FILE TEXT: up to 10 s
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# start_app NAME [FLAG...]: $work/NAME.js under flx on 2 workers, on a port of
# its own ($port, pid in $pid), until it prints "up"; stop_app ends it.
start_app() {
  local name=$1; shift
  port=$((20000 + RANDOM % 12000))   # below the ephemeral ports, which clients hold
  PORT=$port timeout 30 "$flx" run "$work/$name.js" --workers 2 "$@" > "$work/$name.out" 2>&1 &
  pid=$!
  wait_for "$work/$name.out" "^up$" || sed 's/^/# /' "$work/$name.out"   # why it did not start
}
stop_app() { kill -TERM "$pid"; wait "$pid"; }
cat > "$work/sig.js" <<'JS'
process.on('SIGTERM', function onTerm(name) {
  console.log('got ' + name);
  setTimeout(function () { console.log('cleaned up'); process.exit(7); }, 20);
});
setInterval(function () {}, 1000);
console.log('ready');
JS
"$flx" run "$work/sig.js" --workers 2 > "$work/sig.out" 2>&1 &
pid=$!
wait_for "$work/sig.out" ready && kill -TERM $pid
wait $pid
check "a SIGTERM listener runs, and its process.exit sets the code" test $? -eq 7
check "a SIGTERM listener runs once, then its timer" \
  bash -c "[ \"\$(cat '$work/sig.out')\" = \"\$(printf 'ready\ngot SIGTERM\ncleaned up')\" ]"
cat > "$work/sig.js" <<'JS'
function onTerm() { console.log('not called'); }
process.on('SIGTERM', onTerm);
process.removeListener('SIGTERM', onTerm);
setInterval(function () {}, 1000);
console.log('ready');
JS
"$flx" run "$work/sig.js" > "$work/sig.out" 2>&1 &
pid=$!
wait_for "$work/sig.out" ready && kill -TERM $pid
wait $pid
check "with its listener removed, SIGTERM stops flx gracefully" \
  bash -c "[ $? -eq 0 ] && ! grep -q 'not called' '$work/sig.out'"

# A program ends by itself when nothing is left to do (compat/exit.js checks
# what it prints); its code is process.exitCode's.
(cd tests/compat && timeout 30 "../../$flx" run exit.js --workers 2 > /dev/null 2>&1)
check "a program with nothing left to do exits, with process.exitCode" test $? -eq 3

# server.close() from a route (another worker's, with a copy of main's
# server): no new connections; then nothing is left and flx exits 0. A
# second flx on the same port fails as node does: EADDRINUSE, exit 1.
cat > "$work/close.js" <<'JS'
const express = require('express');
const app = express();
app.get('/', (req, res) => res.send('hi'));
app.get('/down', (req, res) => { res.send('bye'); server.close(() => console.log('closed')); });
const server = app.listen(process.env.PORT, () => console.log('up'));
JS
port=$((20000 + RANDOM % 12000))
PORT=$port timeout 30 "$flx" run "$work/close.js" --workers 2 > "$work/close.out" 2>&1 &
pid=$!
wait_for "$work/close.out" "^up$"
PORT=$port timeout 10 "$flx" run "$work/close.js" > "$work/close2.out" 2>&1
check "a port in use: EADDRINUSE, exit 1" \
  bash -c "[ $? -eq 1 ] && grep -q EADDRINUSE '$work/close2.out'"
for _ in 1 2 3 4; do curl -s "http://127.0.0.1:$port/" > /dev/null; done
curl -s "http://127.0.0.1:$port/down" > "$work/close.body"
wait $pid
check "server.close() from a route: flx exits by itself with 0" \
  bash -c "[ $? -eq 0 ] && grep -q closed '$work/close.out' && grep -q bye '$work/close.body'"
check "after server.close(), no new connections" \
  bash -c "! curl -s 'http://127.0.0.1:$port/' > /dev/null"

# What an app is configured with crosses to every worker as something that
# worker makes: a helper of main rebuilt from its source, a module's export,
# a view engine that reads its file with a callback. Each answer right, and
# the page rendered on both workers.
mkdir -p "$work/views"
printf '<h1>#title#</h1><p>#message#</p>' > "$work/views/page.ntl"
cat > "$work/views.js" <<'JS'
const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
app.set('views', path.join(__dirname, 'views'));
app.locals.shout = (s) => s.toUpperCase() + '!';
app.locals.join = path.join;
app.engine('ntl', function (file, options, callback) {
  fs.readFile(file, function (err, text) {
    if (err) return callback(err);
    callback(null, String(text).replace('#title#', options.shout(options.title))
      .replace('#message#', options.join('a', options.message)));
  });
});
app.get('/', function page(req, res) {
  res.render('page.ntl', { title: 'hi', message: req.query.m });
});
app.listen(process.env.PORT, () => console.log('up'));
JS
start_app views --stats
for i in $(seq 30); do curl -s "http://127.0.0.1:$port/?m=$i"; echo; done > "$work/views.body"
stop_app
check "helpers and a view engine of main work on every worker" \
  bash -c "[ \"\$(sort -u '$work/views.body' | wc -l)\" = 30 ] &&
           [ \"\$(grep -c '^<h1>HI!</h1><p>a/[0-9]*</p>\$' '$work/views.body')\" = 30 ]"
check "the page was rendered on both workers" \
  bash -c "grep -q 'fluxion page worker 0 messages [1-9]' '$work/views.out' &&
           grep -q 'fluxion page worker 1 messages [1-9]' '$work/views.out'"

# A handler that changes the app (app.locals) puts every handler of the app
# in its group: another handler reading req.app.locals sees each change.
cat > "$work/locals.js" <<'JS'
const express = require('express');
const app = express();
app.locals.visits = 0;
app.get('/', (req, res) => { app.locals.visits++; res.send('visits ' + app.locals.visits); });
app.get('/peek', (req, res) => res.send('peek ' + req.app.locals.visits));
app.listen(process.env.PORT, () => console.log('up'));
JS
start_app locals
for i in $(seq 10); do curl -s "http://127.0.0.1:$port/"; echo; curl -s "http://127.0.0.1:$port/peek"; echo; done > "$work/locals.body"
stop_app
check "app.locals changed by a handler is seen by the app's other handlers" \
  bash -c "[ \"\$(cat '$work/locals.body')\" = \"\$(for i in \$(seq 10); do echo visits \$i; echo peek \$i; done)\" ]"
check "and the compiler says why they share a group" \
  grep -q "app is changed by a callback" "$work/locals.out"

# unref() on a copy of main's interval (a route in a group on the other
# worker) unreferences the original: with the server closed too, nothing is
# left, and flx exits 0 by itself.
cat > "$work/unref.js" <<'JS'
const express = require('express');
const app = express();
let ticks = 0;
const ticker = setInterval(() => { ticks++; }, 20);
app.get('/', (req, res) => res.send('ticks ' + ticks));
app.get('/quiet', (req, res) => {
  ticker.unref();
  server.close(() => console.log('closed'));
  res.send('quiet ' + ticker.hasRef());
});
const server = app.listen(process.env.PORT, () => console.log('up'));
JS
port=$((20000 + RANDOM % 12000))
PORT=$port timeout 20 "$flx" run "$work/unref.js" --workers 2 > "$work/unref.out" 2>&1 &
pid=$!
wait_for "$work/unref.out" "^up$"
curl -s "http://127.0.0.1:$port/quiet" > "$work/unref.body"
wait $pid
check "unref() of a copy of main's interval: flx exits by itself with 0" \
  bash -c "[ $? -eq 0 ] && grep -q closed '$work/unref.out' && grep -q 'quiet false' '$work/unref.body'"

# A logger's res.on('finish') registered by a middleware hears every
# response, also those a handler in a group on the other worker ends, each
# with its own request's URL.
cat > "$work/finish.js" <<'JS'
const express = require('express');
const app = express();
let count = 0;
app.use(function log(req, res, next) {
  res.on('finish', () => console.log('finished', req.url, res.statusCode));
  next();
});
app.get('/count/:n', (req, res) => { count++; res.send('count ' + count); });
app.get('/free/:n', (req, res) => res.status(201).send('free'));
app.listen(process.env.PORT, () => console.log('up'));
JS
start_app finish
for i in $(seq 20); do curl -s "http://127.0.0.1:$port/count/$i" > /dev/null; curl -s "http://127.0.0.1:$port/free/$i" > /dev/null; done
wait_for "$work/finish.out" "finished /free/20 201"
for _ in $(seq 50); do [ "$(grep -c '^finished' "$work/finish.out")" -ge 40 ] && break; sleep 0.1; done
stop_app
check "res.on('finish') hears every response, ended on either worker" \
  bash -c "[ \"\$(grep '^finished' '$work/finish.out' | sort)\" = \"\$(for i in \$(seq 20); do echo finished /count/\$i 200; echo finished /free/\$i 201; done | sort)\" ]"

# 'finish' after the answer: as under node, a listener added in the turn that
# ended the response hears it; one added in a later turn does not. (flx
# schedules no turn for a response no one listens to.)
cat > "$work/late.js" <<'JS'
const http = require('http');
http.createServer((req, res) => {
  res.end('ok');
  res.on('finish', () => console.log('same turn', req.url));
  setTimeout(() => res.on('finish', () => console.log('later turn', req.url)), 30);
}).listen(process.env.PORT, () => console.log('up'));
JS
start_app late
curl -s "http://127.0.0.1:$port/a" > /dev/null; curl -s "http://127.0.0.1:$port/b" > /dev/null
sleep 0.2
stop_app
check "a 'finish' listener added in the turn of end() hears it, one a turn later does not" \
  bash -c "[ \"\$(grep -v '^up' '$work/late.out' | sort)\" = \"\$(printf 'same turn /a\nsame turn /b')\" ]"

# Two event streams at once, each counting in its own handler's variable
# (assigned by its interval's callback): each gets 1, 2, 3, as under node.
cat > "$work/events.js" <<'JS'
const express = require('express');
const app = express();
app.get('/events', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  let n = 0;
  const iv = setInterval(() => {
    res.write(`data: ${req.query.who} ${++n}\n\n`);
    if (n === 3) { clearInterval(iv); res.end(); }
  }, 30);
});
app.listen(process.env.PORT, () => console.log('up'));
JS
start_app events
curl -s "http://127.0.0.1:$port/events?who=a" > "$work/events.a" &
curl -s "http://127.0.0.1:$port/events?who=b" > "$work/events.b"
wait $!
stop_app
check "concurrent requests each keep their own counter in an interval's callback" \
  bash -c "[ \"\$(grep -c . '$work/events.a')\" = 3 ] && grep -q 'data: a 3' '$work/events.a' &&
           [ \"\$(grep -c . '$work/events.b')\" = 3 ] && grep -q 'data: b 3' '$work/events.b'"

# Route-level middleware that puts state on req (app.get(path, loadCart,
# handler)): whichever worker a request comes in on, the handler changes the
# very cart (Express's route next goes on where it is called).
cat > "$work/cart.js" <<'JS'
const express = require('express');
const app = express();
const carts = new Map();
function loadCart(req, res, next) {
  const id = req.get('x-user') || 'anon';
  if (!carts.has(id)) carts.set(id, []);
  req.cart = carts.get(id);
  next();
}
app.get('/add/:item', loadCart, (req, res) => { req.cart.push(req.params.item); res.json(req.cart.length); });
app.get('/cart', loadCart, (req, res) => res.json(req.cart));
app.listen(process.env.PORT, () => console.log('up'));
JS
start_app cart
for i in $(seq 16); do curl -s -H 'x-user: u1' "http://127.0.0.1:$port/add/i$i" > /dev/null; done
curl -s -H 'x-user: u1' "http://127.0.0.1:$port/cart" > "$work/cart.body"
stop_app
check "state a route's middleware puts on req is one object, from either worker" \
  bash -c "[ \"\$(cat '$work/cart.body')\" = '[\"i1\",\"i2\",\"i3\",\"i4\",\"i5\",\"i6\",\"i7\",\"i8\",\"i9\",\"i10\",\"i11\",\"i12\",\"i13\",\"i14\",\"i15\",\"i16\"]' ]"

# A SIGTERM listener written in place that saves the app's state runs in the
# state's group: it saves what the handlers added, as under node.
cat > "$work/save.js" <<'JS'
const express = require('express');
const fs = require('fs');
const app = express();
app.use(express.json());
const todos = [];
app.post('/todos', (req, res) => { todos.push(req.body.title); res.status(201).json(todos.length); });
process.on('SIGTERM', () => {
  fs.writeFileSync(process.env.SAVE_TO, JSON.stringify(todos));
  process.exit(0);
});
app.listen(process.env.PORT, () => console.log('up'));
JS
SAVE_TO="$work/saved.json" start_app save
for t in a b c d; do curl -s -H 'content-type: application/json' -d "{\"title\":\"$t\"}" "http://127.0.0.1:$port/todos" > /dev/null; done
stop_app
check "a SIGTERM listener saves the state the handlers changed" \
  bash -c "[ $? -eq 0 ] && [ \"\$(cat '$work/saved.json')\" = '[\"a\",\"b\",\"c\",\"d\"]' ]"

# The same with a logger made by a factory of the app's own module: the
# middleware is a closure left in main, run on main's worker for requests
# the other worker took, where it listens on a copy of the response; the
# copy that comes back tells the original to tell it.
cat > "$work/logger.js" <<'JS'
module.exports = function logger(prefix) {
  return function (req, res, next) {
    res.on('finish', () => console.log(prefix, req.url, res.statusCode));
    next();
  };
};
JS
cat > "$work/logged.js" <<'JS'
const express = require('express');
const logger = require('./logger');
const app = express();
let n = 0;
app.use(logger('[app]'));
app.get('/count/:i', (req, res) => { n++; res.send('n ' + n); });
app.get('/free/:i', (req, res) => res.send('free'));
app.listen(process.env.PORT, () => console.log('up'));
JS
start_app logged
for i in $(seq 12); do curl -s "http://127.0.0.1:$port/count/$i" > /dev/null; curl -s "http://127.0.0.1:$port/free/$i" > /dev/null; done
for _ in $(seq 50); do [ "$(grep -c '^\[app\]' "$work/logged.out")" -ge 24 ] && break; sleep 0.1; done
stop_app
check "a module's logger middleware hears every response, from either worker" \
  bash -c "[ \"\$(grep '^\[app\]' '$work/logged.out' | sort)\" = \"\$(for i in \$(seq 12); do echo '[app]' /count/\$i 200; echo '[app]' /free/\$i 200; done | sort)\" ]"

printf 'flx main\n-> null\n  console.log("bye");\n  process.exit(3);\n  console.log("not reached");\n' > "$work/exit.flx"
"$flx" run "$work/exit.flx" > "$work/exit.out" 2>&1
check "process.exit ends flx run with its code" test $? -eq 3
check "process.exit stops the code that calls it" bash -c "[ \"\$(cat '$work/exit.out')\" = bye ]"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
