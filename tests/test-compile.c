/* test-compile.c — the compiler end to end (analyzer, pipeliner, emitter):
 * the seed's listings and figure give the structure the paper gives; state
 * is scoped, streamed, shared or replicated as DESIGN.md's rules say; the
 * emitted program is valid .flx. */
#include "test.h"
#include "../src/compiler/flxc.h"

#include <sys/stat.h>
#include <unistd.h>

typedef struct compiled_s {
  flxc_unit_t unit;
  flxc_scopes_t *scopes;
  flxc_analysis_t analysis;
  flxc_pipeline_t p;
} compiled_t;

static compiled_t *analyse(compiled_t *c, const flxc_async_t *extra);

static compiled_t *compile(const char *src, const flxc_async_t *extra) {
  compiled_t *c = calloc(1, sizeof *c);
  flxl_error_t e;
  if (flxc_parse_string("app.js", src, strlen(src), &c->unit, &e) != 0) {
    flxl_error_print(&e, stderr);
    FAIL("syntax error");
  }
  return analyse(c, extra);
}

/* The phases after parsing, and a check that the result is valid .flx. */
static compiled_t *analyse(compiled_t *c, const flxc_async_t *extra) {
  flxl_error_t e;
  c->scopes = flxc_scope_analyze(&c->unit);
  flxc_analyze(&c->unit, c->scopes, extra, &c->analysis);
  flxc_pipeline(&c->unit, c->scopes, &c->analysis, &c->p);
  /* Whatever is compiled must be a valid fluxional program. */
  flxl_program_t prog, again;
  flxc_emit_flx(&c->p, &prog);
  char *text = flxl_print(&prog);
  if (flxl_parse("out.flx", text, strlen(text), &again, &e) != 0) {
    flxl_error_print(&e, stderr);
    FAIL("the emitted program does not parse:\n%s", text);
  }
  char *text2 = flxl_print(&again);
  ASSERT_STR_EQ(text2, text);
  free(text);
  free(text2);
  flxl_program_free(&prog);
  flxl_program_free(&again);
  return c;
}

static void release(compiled_t *c) {
  flxc_pipeline_free(&c->p);
  flxc_analysis_free(&c->analysis);
  flxc_scope_free(c->scopes);
  flxc_unit_free(&c->unit);
  free(c);
}

static const flxc_fluxion_t *F(const compiled_t *c, const char *name) {
  for (size_t i = 0; i < c->p.n; i++)
    if (strcmp(c->p.fluxions[i]->name, name) == 0)
      return c->p.fluxions[i];
  FAIL("no fluxion %s", name);
}

/* The names of a binding list, comma-separated. */
static char *names(flxc_binding_t *const *b, size_t n) {
  static char buf[512];
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    strcat(buf, i ? "," : "");
    strcat(buf, b[i]->name);
  }
  return buf;
}

static void expect_fluxion(const compiled_t *c, const char *name, const char *parent,
                           flxl_kind_t kind, const char *msg, const char *ctx) {
  const flxc_fluxion_t *f = F(c, name);
  ASSERT_STR_EQ(f->parent ? f->parent->name : "", parent);
  if (f->parent)
    ASSERT_EQ(f->kind, kind);
  ASSERT_STR_EQ(names(f->msg, f->nmsg), msg);
  ASSERT_STR_EQ(names(f->ctx, f->nctx), ctx);
}

/* The fluxion that holds handler name's state: its state section
 * (name_state, section.c) if it has one, else itself. */
static const flxc_fluxion_t *state_of(const compiled_t *c, const char *name) {
  char section[200];
  snprintf(section, sizeof section, "%s_state", name);
  for (size_t i = 0; i < c->p.n; i++)
    if (c->p.fluxions[i]->section && strcmp(c->p.fluxions[i]->name, section) == 0)
      return c->p.fluxions[i];
  return F(c, name);
}

static bool same_group(const compiled_t *c, const char *a, const char *b) {
  return state_of(c, a)->group >= 0 && state_of(c, a)->group == state_of(c, b)->group;
}

/* The text of item `kind` of the emitted program whose body holds needle. */
static bool emitted(const compiled_t *c, flxl_item_t kind, const char *name, const char *needle) {
  flxl_program_t prog;
  flxc_emit_flx(&c->p, &prog);
  bool found = false;
  for (size_t i = 0; i < prog.n && !found; i++)
    found = prog.items[i].item == kind && (name == NULL || strcmp(prog.items[i].name, name) == 0) &&
            strstr(prog.items[i].body, needle) != NULL;
  flxl_program_free(&prog);
  return found;
}

static bool replicated(const compiled_t *c, const char *name) {
  for (size_t i = 0; i < c->p.nreplicated; i++)
    if (strcmp(c->p.replicated[i]->name, name) == 0)
      return true;
  return false;
}

static bool warned(const compiled_t *c, const char *needle) {
  for (size_t i = 0; i < c->p.nwarnings; i++)
    if (strstr(c->p.warnings[i].message, needle))
      return true;
  return false;
}

TEST_IMPL(compile_listing1) {
  compiled_t *c = compile(
      "var app = require('express')(),\n"
      "    fs = require('fs'),\n"
      "    count = 0;\n"
      "app.get('/', function handler(req, res) {\n"
      "  fs.readFile(__filename, function reply(err, data) {\n"
      "    count += 1;\n"
      "    res.send(err || template(count, data));\n"
      "  });\n"
      "});\n"
      "app.listen(8080);\n", NULL);
  ASSERT_EQ(c->p.n, 3);
  expect_fluxion(c, "handler", "main", FLXL_START, "", "");
  expect_fluxion(c, "reply", "handler", FLXL_POST, "res", "count");
  ASSERT_EQ(F(c, "handler")->group, -1);   /* stateless: any worker */
  ASSERT(F(c, "reply")->group >= 0);
  ASSERT(replicated(c, "fs"));
  ASSERT_EQ(c->p.nwarnings, 0);
  release(c);
  return 0;
}

TEST_IMPL(compile_figure5) {
  compiled_t *c = compile(
      "var app = require('express')(), fs = require('fs');\n"
      "var a = 0;\n"
      "var c = 0;\n"
      "app.get('/', function onReq(req, res) {\n"
      "  var b = req.query.count;\n"
      "  fs.readFile(__filename, function add(err, v) {\n"
      "    a += b + c + v.length;\n"
      "    fs.writeFile('/tmp/x', String(a), function end(updt) {\n"
      "      c = updt;\n"
      "      res.end();\n"
      "    });\n"
      "  });\n"
      "});\n", NULL);
  expect_fluxion(c, "onReq", "main", FLXL_START, "", "");
  expect_fluxion(c, "add", "onReq", FLXL_POST, "b,res", "a,c");
  expect_fluxion(c, "end", "add", FLXL_POST, "res", "c");
  ASSERT(same_group(c, "add", "end"));
  ASSERT_EQ(F(c, "onReq")->group, -1);
  ASSERT_STR_EQ(c->p.groups[F(c, "add")->group], "grp_c");
  release(c);
  return 0;
}

TEST_IMPL(compile_listing3) {
  compiled_t *c = compile(
      "var express = require('express'),\n"
      "    app = express(),\n"
      "    routes = require('gifsockets-middleware'),\n"
      "    getRawBody = require('raw-body');\n"
      "function bodyParser(limit) {\n"
      "  return function saveBody(req, res, next) {\n"
      "    getRawBody(req, {\n"
      "      expected: req.headers['content-length'],\n"
      "      limit: limit\n"
      "    }, function (err, buffer) {\n"
      "      req.body = buffer;\n"
      "      next();\n"
      "    });\n"
      "  };\n"
      "}\n"
      "app.post('/image/text', bodyParser(1 * 1024 * 1024), routes.writeTextToImages);\n"
      "app.listen(8000);\n", NULL);
  ASSERT_EQ(c->p.n, 2);
  expect_fluxion(c, "anonymous_10", "main", FLXL_POST, "req,next", "");
  ASSERT(warned(c, "'bodyParser(1 * 1024 * 1024)' of app.post is computed at run time"));
  ASSERT(warned(c, "'routes.writeTextToImages' of app.post is computed at run time"));
  ASSERT_EQ(c->p.nwarnings, 2);
  release(c);
  return 0;
}

/* Listing 1 in today's style: const, arrows, template literals, a handler
 * bound to a name, a callback found through a const object. */
TEST_IMPL(compile_modern_callbacks) {
  compiled_t *c = compile(
      "const express = require('express');\n"
      "const fs = require('fs');\n"
      "const app = express();\n"
      "let count = 0;\n"
      "const reply = (res) => (err, data) => res.send(`${count} ${data}`);\n"
      "const handlers = {\n"
      "  root: (req, res) => {\n"
      "    fs.readFile(__filename, (err, data) => {\n"
      "      count += 1;\n"
      "      res.send(`${count}: ${data}`);\n"
      "    });\n"
      "  },\n"
      "};\n"
      "function health(req, res) { res.json({ ok: true }); }\n"
      "app.get('/', handlers.root);\n"
      "app.get('/health', health);\n"
      "app.listen(process.env.PORT || 8080, () => console.log('up'));\n"
      "app.route('/item').get(function getItem(req, res) { res.end(); })\n"
      "  .post(function postItem(req, res) { res.end(); });\n", NULL);
  expect_fluxion(c, "getItem", "main", FLXL_START, "", "");
  expect_fluxion(c, "postItem", "main", FLXL_START, "", "");
  expect_fluxion(c, "root", "main", FLXL_START, "", "");
  expect_fluxion(c, "anonymous_8", "root", FLXL_POST, "res", "count");
  expect_fluxion(c, "health", "main", FLXL_START, "", "");
  expect_fluxion(c, "anonymous_17", "main", FLXL_POST, "", "");
  ASSERT_EQ(F(c, "root")->group, -1);
  ASSERT_EQ(F(c, "health")->group, -1);
  release(c);
  return 0;
}

/* A module's function reached otherwise than as module.member: called on
 * require(...) itself, taken out by destructuring (renamed too), imported by
 * name, or read off the module into a variable. Each callback is a fluxion
 * as with fs.readFile (kept in main, a server's listener cannot cross). */
TEST_IMPL(compile_module_members_by_other_names) {
  compiled_t *c = compile(
      "const { readFile, stat: look } = require('fs');\n"
      "const { createServer } = require('http');\n"
      "const scrypt = require('crypto').scrypt;\n"
      "let n = 0;\n"
      "createServer(function serve(req, res) {\n"
      "  readFile(__filename, function got(e, d) { n++; res.end(String(n)); });\n"
      "}).listen(8080);\n"
      "require('http').createServer(function other(req, res) { res.end(); }).listen(8081);\n"
      "look(__filename, function looked() {});\n"
      "scrypt('pw', 'salt', 16, function derived() {});\n"
      "require('express')().get('/', function page(req, res) { res.end(); }).listen(8082);\n"
      "const { readFileSync } = require('fs');\n"
      "readFileSync(__filename);\n", NULL);
  expect_fluxion(c, "serve", "main", FLXL_START, "", "");
  expect_fluxion(c, "got", "serve", FLXL_POST, "res", "n");
  expect_fluxion(c, "other", "main", FLXL_START, "", "");
  expect_fluxion(c, "looked", "main", FLXL_POST, "", "");
  expect_fluxion(c, "derived", "main", FLXL_POST, "", "");
  expect_fluxion(c, "page", "main", FLXL_START, "", "");
  release(c);
  c = compile(
      "import { readFile as read } from 'fs';\n"
      "import { createServer } from 'node:http';\n"
      "createServer(function serve(req, res) { read('x', function got() { res.end(); }); }).listen(8080);\n",
      NULL);
  expect_fluxion(c, "serve", "main", FLXL_START, "", "");
  expect_fluxion(c, "got", "serve", FLXL_POST, "res", "");
  release(c);
  return 0;
}

/* One array pushed in a route and read in another: one group. A config
 * object only read: replicated. Two routes with their own counters: two
 * independent groups. */
TEST_IMPL(compile_shared_and_replicated_state) {
  compiled_t *c = compile(
      "const express = require('express');\n"
      "const app = express();\n"
      "const config = { greeting: 'hi', limit: 10 };\n"
      "const todos = [];\n"
      "let hitsA = 0, hitsB = 0;\n"
      "function format(t) { return config.greeting + ' ' + t.title; }\n"
      "app.post('/todos', function add(req, res) { todos.push(req.body); res.sendStatus(201); });\n"
      "app.get('/todos', function list(req, res) { res.json(todos.slice(0, config.limit).map(format)); });\n"
      "app.get('/a', function a(req, res) { hitsA++; res.send(String(hitsA)); });\n"
      "app.get('/b', function b(req, res) { hitsB++; res.send(String(hitsB)); });\n"
      "app.get('/hello', function hello(req, res) { res.send(format({ title: config.greeting })); });\n"
      "app.listen(3000);\n", NULL);
  ASSERT(same_group(c, "add", "list"));
  expect_fluxion(c, "add", "main", FLXL_START, "", "todos");
  expect_fluxion(c, "list", "main", FLXL_START, "", "todos");
  expect_fluxion(c, "a", "main", FLXL_START, "", "");   /* its section keeps hitsA */
  expect_fluxion(c, "b", "main", FLXL_START, "", "");
  ASSERT_STR_EQ(names(state_of(c, "a")->ctx, state_of(c, "a")->nctx), "hitsA");
  ASSERT_STR_EQ(names(state_of(c, "b")->ctx, state_of(c, "b")->nctx), "hitsB");
  ASSERT(state_of(c, "a")->group >= 0 && state_of(c, "b")->group >= 0);
  ASSERT(state_of(c, "a")->group != state_of(c, "b")->group);
  ASSERT(state_of(c, "a")->group != state_of(c, "add")->group);
  ASSERT(replicated(c, "config"));
  ASSERT(replicated(c, "format"));   /* touches no mutable state */
  ASSERT_EQ(F(c, "hello")->group, -1);
  release(c);
  return 0;
}

/* A helper that changes state makes its callers touch that state. */
TEST_IMPL(compile_helpers_carry_state) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const sessions = new Map();\n"
      "function remember(id) { sessions.set(id, Date.now()); }\n"
      "function seen(id) { return sessions.has(id); }\n"
      "app.post('/login', function login(req, res) { remember(req.body.id); res.end(); });\n"
      "app.get('/me', function me(req, res) { res.json({ in: seen(req.query.id) }); });\n", NULL);
  ASSERT(same_group(c, "login", "me"));
  ASSERT(!replicated(c, "remember"));
  ASSERT(!replicated(c, "sessions"));
  /* Their code is declared in the group's scope, where their callers run. */
  ASSERT_EQ(c->p.ngroup_code, 2);
  ASSERT_STR_EQ(c->p.group_code[0].helper->name, "remember");
  ASSERT_STR_EQ(c->p.group_code[1].helper->name, "seen");
  ASSERT_EQ(c->p.group_code[0].group, state_of(c, "login")->group);
  ASSERT_EQ(c->p.group_code[1].group, state_of(c, "me")->group);
  release(c);
  return 0;
}

/* Whether the emitted program, printed as .flx, has text in it. */
static bool prints(const compiled_t *c, const char *text) {
  flxl_program_t prog;
  flxc_emit_flx(&c->p, &prog);
  char *printed = flxl_print(&prog);
  bool found = strstr(printed, text) != NULL;
  free(printed);
  flxl_program_free(&prog);
  return found;
}

/* A variable of a chain that a listener of that chain assigns (ticks++ at
 * every run of tick) is that chain's own: the listener stays a closure in
 * the callback that declares it, which takes the program's state the
 * listener touches (n) into its group. */
TEST_IMPL(compile_chain_variable_in_group) {
  compiled_t *c = compile(
      "let n = 0;\n"
      "setTimeout(function later() {\n"
      "  let ticks = 0;\n"
      "  const iv = setInterval(function tick() { ticks++; if (++n === 3) clearInterval(iv); }, 2);\n"
      "}, 10);\n", NULL);
  ASSERT(!emitted(c, FLXL_FLUXION, "tick", ""));
  ASSERT_INT(F(c, "later")->group, >=, 0);
  ASSERT_STR_EQ(names(F(c, "later")->ctx, F(c, "later")->nctx), "n");
  ASSERT(emitted(c, FLXL_FLUXION, "later",
                 "let ticks = 0;\n  const iv = setInterval(function tick() { ticks++;"));
  release(c);
  return 0;
}

/* A listener registered per request (res.on('finish', cb)) reads that
 * request's variables: carried by its placeholder, not shared by a group
 * where each request would overwrite the last one's. */
TEST_IMPL(compile_per_request_listener_keeps_its_request) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "app.use(function log(req, res, next) {\n"
      "  const start = Date.now();\n"
      "  res.on('finish', function done() { console.log(req.url, res.statusCode, Date.now() - start); });\n"
      "  next();\n"
      "});\n", NULL);
  ASSERT_EQ(F(c, "log")->group, -1);
  ASSERT_EQ(F(c, "done")->group, -1);
  ASSERT(prints(c, ">> done [req, res, start]"));
  release(c);
  return 0;
}

/* A signal's listener written in place runs with the state it reads (a
 * group's); one given by name, and an 'exit' listener, stay in main. */
/* A handler in a group sends it only the statements that touch the state
 * (section.c): the handler runs where its request is; the section gets the
 * handler's variables it reads and gives back those read after it, and the
 * rest runs when the group calls back. */
TEST_IMPL(compile_state_section) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const todos = [];\n"
      "let nextId = 1;\n"
      "app.post('/t', function add(req, res) {\n"
      "  const { title } = req.body;\n"
      "  if (!title) return res.status(400).end();\n"
      "  const todo = { id: nextId++, title };\n"
      "  todos.push(todo);\n"
      "  res.status(201).json(todo);\n"
      "});\n"
      "app.get('/t', (req, res, next) => { const n = todos.length; res.send(String(n)); });\n",
      NULL);
  ASSERT_EQ(F(c, "add")->group, -1);
  ASSERT(F(c, "add_state")->section);
  ASSERT(same_group(c, "add", "anonymous_11"));
  ASSERT_STR_EQ(names(F(c, "add_state")->ins, F(c, "add_state")->nins), "title");
  ASSERT_STR_EQ(names(F(c, "add_state")->outs, F(c, "add_state")->nouts), "todo");
  ASSERT(prints(c, "function add(req, res, ...__flx_rest) {\n"
                   "    const { title } = req.body;\n"
                   "    if (!title) return res.status(400).end();\n"
                   "    (-> add_state)(title, __flx.stay(__flx_rest[0], (todo) => {\n"
                   "    res.status(201).json(todo);\n"
                   "    }));\n"
                   "  }"));
  ASSERT(prints(c, "flx add_state & grp_todos {todos = [], nextId = 1} @ app.js:7:3\n"
                   "-> null\n"
                   "  (title, __flx_k) => __flx.state(__flx_k, () => {\n"
                   "    const todo = { id: nextId++, title };\n"
                   "    todos.push(todo);\n"
                   "    return [todo];\n"
                   "  })\n"));
  /* A handler with its own next is given no rest parameter. */
  ASSERT(prints(c, "(req, res, next) => { (-> anonymous_11_state)(__flx.stay(next, (n) => {"));
  release(c);
  /* The parts of the request it reads are given to it; a return in it is an
   * exit: the group says which it took, the return runs in the handler. A
   * variable declared after an exit is not there yet at that exit. */
  c = compile(
      "const app = require('express')();\n"
      "const todos = [];\n"
      "app.delete('/t/:id', function del(req, res) {\n"
      "  const i = todos.findIndex((t) => t.id === Number(req.params.id));\n"
      "  if (i < 0) return res.status(404).json({ missing: req.params.id });\n"
      "  const [gone] = todos.splice(i, 1);\n"
      "  res.json(gone);\n"
      "});\n", NULL);
  ASSERT(prints(c, "(-> del_state)(req.params, __flx.stay(__flx_rest[0], (gone, __flx_exit) => {"
                   " if (__flx_exit === 1) return res.status(404).json({ missing: req.params.id });\n"
                   "    res.json(gone);\n"));
  ASSERT(prints(c, "  (__flx_req_params, __flx_k) => __flx.state(__flx_k, () => {\n"
                   "    const i = todos.findIndex((t) => t.id === Number(__flx_req_params.id));\n"
                   "    if (i < 0) return [undefined, 1];\n"
                   "    const [gone] = todos.splice(i, 1);\n"
                   "    return [gone, 0];\n"
                   "  })\n"));
  release(c);
  /* A change through what a helper returns is the section's last
   * statement; the answer reads the changed object after it. */
  c = compile(
      "const app = require('express')();\n"
      "const todos = [];\n"
      "function findTodo(id) { return todos.find((t) => t.id === Number(id)); }\n"
      "app.put('/t/:id', function put(req, res) {\n"
      "  const todo = findTodo(req.params.id);\n"
      "  if (!todo) return res.sendStatus(404);\n"
      "  Object.assign(todo, req.body);\n"
      "  res.json(todo);\n"
      "});\n", NULL);
  ASSERT(prints(c, "(-> put_state)(req.params, req.body, __flx.stay(__flx_rest[0], (todo, __flx_exit) => {"
                   " if (__flx_exit === 1) return res.sendStatus(404);\n"
                   "    res.json(todo);\n"));
  ASSERT(prints(c, "  (__flx_req_params, __flx_req_body, __flx_k) => __flx.state(__flx_k, () => {\n"
                   "    const todo = findTodo(__flx_req_params.id);\n"
                   "    if (!todo) return [todo, 1];\n"
                   "    Object.assign(todo, __flx_req_body);\n"
                   "    return [todo, 0];\n"
                   "  })\n"));
  release(c);
  return 0;
}

/* Each handler, put in `before` as `app.get('/', HANDLER);` followed by
 * `after`, stays whole in its group but the last, a control that splits. */
static void only_the_control_splits(const char *before, const char *const *handlers,
                                    const char *after) {
  for (int i = 0; handlers[i]; i++) {
    char src[1024];
    int n = snprintf(src, sizeof src, "%sapp.get('/', %s);\n%s", before, handlers[i], after);
    ASSERT(n > 0 && (size_t)n < sizeof src);
    compiled_t *c = compile(src, NULL);
    bool last = handlers[i + 1] == NULL;
    if ((F(c, "h")->group < 0) != last)
      FAIL("handler %d was %s: %s", i, last ? "not split" : "split", handlers[i]);
    release(c);
  }
}

/* The answer's reads of the state after the section are taken at its end
 * and given back (hits.a += 1; res.json({ n: hits.a })); where that could
 * differ from reading them then, the handler stays whole. */
TEST_IMPL(compile_state_section_reads_after) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const hits = { a: 0 };\n"
      "let totalServedSinceTheServerStartedUp = 0;\n"
      "app.get('/a', function a(req, res) {\n"
      "  hits.a += 1;\n"
      "  totalServedSinceTheServerStartedUp++;\n"
      "  res.json({ n: hits.a, totalServedSinceTheServerStartedUp, all: [hits] });\n"
      "});\n"
      "const todos = [];\n"
      "app.delete('/t/:i', function del(req, res) {\n"
      "  if (!todos.length) return res.sendStatus(404);\n"
      "  todos.pop();\n"
      "  res.send(`${todos.length} left`);\n"
      "});\n", NULL);
  ASSERT(F(c, "a")->group < 0);
  ASSERT_EQ(state_of(c, "a")->nreads, 3);
  /* (a long name in shorthand, { name }, keeps its key whole) */
  ASSERT(prints(c, "(-> a_state)(__flx.stay(__flx_rest[0], "
                   "(__flx_read_1, __flx_read_2, __flx_read_3) => {\n"
                   "    res.json({ n: __flx_read_1, "
                   "totalServedSinceTheServerStartedUp: __flx_read_2, all: [__flx_read_3] });\n"));
  ASSERT(prints(c, "    totalServedSinceTheServerStartedUp++;\n"
                   "    return [hits.a, totalServedSinceTheServerStartedUp, hits];\n"));
  ASSERT(prints(c, "(__flx_read_1, __flx_exit) => { if (__flx_exit === 1) return res.sendStatus(404);\n"
                   "    res.send(`${__flx_read_1} left`);\n"));
  ASSERT(prints(c, "if (!todos.length) return [undefined, 1];\n    todos.pop();\n"
                   "    return [todos.length, 0];\n"));
  release(c);
  static const char *const handlers[] = {
      "function h(req, res) { n.push(1); if (req.query.x) res.json(n.length); else res.end(); }",
      "function h(req, res) { n.push(1); res.json(n[0].x); }",
      "function h(req, res) { n.push(1); res.json(n.length || 0); }",
      "function h(req, res) { n.push(1); res.json(keep(n)); }",
      "function h(req, res) { n.push(1); res.json(m.x); }",
      "function h(req, res) { n.push(1); res.json(n.slice(0)); }",
      "function h(req, res) { n.push(1); res.json((() => n.length)()); }",
      "function h(req, res) { n.push(1); res.json(o.a); }",
      "function h(req, res) { n.push(1); req.seen = n; res.end(); }",
      "function h(req, res) { n.push(1); res.send(`${n.length} items`); }",
      NULL};
  only_the_control_splits(   /* the control: a template reads it */
      "const app = require('express')();\nconst n = [];\nlet m = {};\n"
      "const o = { get a() { return n.length; } };\n", handlers,
      "app.post('/', function p(req, res) { n.push(2); m = { x: n.length }; o.b = 1; res.end(); });\n");
  return 0;
}

/* Where the section could not be cut out, the handler stays whole in its
 * group: `this`, `arguments`, the request (but for its params, body...
 * read only) among its state statements; a return there that touches state
 * or reads a block's own variable; a variable it reads that it changes, or that the handler
 * changes after; one it gives back that the handler changes; a callback
 * registered in it; an async handler; state reached unnamed (app.locals
 * changed by a handler, read by res.render). */


TEST_IMPL(compile_state_section_refused) {
  static const char *const handlers[] = {
      "function h(req, res) { n.push(req.body); res.end(); }",
      "function h(req, res) { n.push(this.x); res.end(); }",
      "function h(req, res) { n.push(arguments.length); res.end(); }",
      "function h(req, res) { const o = {}; n.push(o.x = 1); o.y = 2; n.push(o); res.json(o); }",
      "function h(req, res) { const o = { a: 1 }; n.push(o); o.b = 2; res.end(); }",
      "function h(req, res) { const o = { a: 1 }; o.b = n.length; res.json(o); }",
      "function h(req, res) { const o = { k: n.length }; n.pop(); o.x = 1; res.json(o); }",
      "function h(req, res) { n.push(1); setTimeout(function later() { res.end(); }, 1); n.push(2); }",
      "async function h(req, res) { n.push(1); res.end(); }",
      "function h(req, res) { n.push(1); res.render('x'); });\n"
      "app.get('/b', function b(req, res) { app.locals.n = n.length; res.end(); }",
      "function h(req, res) { const x = n.pop(); if (!x) return res.json(n); n.push(x); res.end(); }",
      "function h(req, res) { const x = n.pop(); if (x) { const y = 1; return res.json(y); } n.push(x); }",
      "function h(req, res) { n.push(req.params.id); req.params.id = 2; res.end(); }",
      "function h(req, res) { n.push(req.get('x')); res.end(); }",
      "function h(req, res) { const o = { a: 1 }; n.push(o.a); res.json(o); }",
      NULL};
  only_the_control_splits(   /* the control: it reads o.a only */
      "const app = require('express')();\nconst n = [];\n", handlers,
      "app.post('/', function p(req, res) { n.push(2); res.end(); });\n");
  return 0;
}

TEST_IMPL(compile_signal_listener_joins_its_state) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const todos = [];\n"
      "app.post('/t', function add(req, res) { todos.push(1); res.end(); });\n"
      "process.on('SIGTERM', function save() { console.log(todos.length); process.exit(0); });\n"
      "function bye() {}\n"
      "process.on('SIGINT', bye);\n"
      "process.on('exit', function last() { console.log('exit'); });\n", NULL);
  ASSERT(same_group(c, "add", "save"));
  ASSERT(!emitted(c, FLXL_FLUXION, "last", ""));
  ASSERT(emitted(c, FLXL_FLUXION, "main", "process.on('SIGINT', bye);"));
  release(c);
  return 0;
}

/* State put on a request by a middleware (an in-memory session store): the
 * handlers registered with it may be given that request next and change the
 * state through it, so they join its group (where they get the very object),
 * and the compiler says why. A number copied onto it is no alias. */
TEST_IMPL(compile_state_put_on_a_request_joins_its_group) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const sessions = {};\n"
      "let hits = 0;\n"
      "app.use(function session(req, res, next) {\n"
      "  const id = req.get('x-id');\n"
      "  sessions[id] = sessions[id] || { cart: [] };\n"
      "  req.session = sessions[id];\n"
      "  req.hits = ++hits;\n"
      "  next();\n"
      "});\n"
      "app.post('/cart', function add(req, res) { req.session.cart.push(1); res.end(); });\n"
      "app.get('/cart', function show(req, res) { res.json(req.session.cart); });\n",
      NULL);
  ASSERT(same_group(c, "session", "add"));   /* it changes sessions through req.session */
  ASSERT(same_group(c, "session", "show"));  /* it may be given req next */
  ASSERT(warned(c, "sessions is put on req by session: the other callbacks registered with it "
                   "may be given req next and reach sessions through it, so they run in its "
                   "group too (1 more)"));
  ASSERT(!warned(c, "hits is put on"));
  release(c);
  return 0;
}

/* An object of a variable changed through another name is a change of the
 * variable: a local alias (find, for-of, forEach's parameter), or a
 * request's property set by an app.param callback and written through by
 * the handler. A copy (map) written is not. */
TEST_IMPL(compile_change_through_an_alias_is_state) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const users = [{ id: 1, visits: 0 }];\n"
      "const items = [{ id: 1, n: 0 }];\n"
      "const todos = [{ id: 1, done: false }];\n"
      "const names = ['a'];\n"
      "app.get('/u', function visit(req, res) {\n"
      "  const u = users.find((x) => x.id === 1);\n"
      "  u.visits++;\n"
      "  res.json(u);\n"
      "});\n"
      "app.get('/i', function bump(req, res) { for (const it of items) it.n += 1; res.end(); });\n"
      "app.get('/t', function done(req, res) { todos.forEach((t) => { t.done = true; }); res.end(); });\n"
      "app.get('/n', function copy(req, res) { const c = names.map((x) => x); c.push('b'); res.json(c); });\n",
      NULL);
  ASSERT(!replicated(c, "users"));
  ASSERT(state_of(c, "visit")->group >= 0);
  ASSERT(!replicated(c, "items"));
  ASSERT(state_of(c, "bump")->group >= 0);
  ASSERT(!replicated(c, "todos"));
  ASSERT(replicated(c, "names"));
  ASSERT(F(c, "copy")->group < 0);
  release(c);
  c = compile(
      "const app = require('express')();\n"
      "const members = [{ name: 'ada', visits: 0 }];\n"
      "app.param('member', function load(req, res, next, name) {\n"
      "  req.member = members.filter(function (m) { return m.name === name; })[0];\n"
      "  next();\n"
      "});\n"
      "app.get('/m/:member', function seen(req, res) { req.member.visits += 1; res.end(); });\n",
      NULL);
  ASSERT(!replicated(c, "members"));
  ASSERT(same_group(c, "load", "seen"));
  release(c);
  /* What a function of the program returns (a helper's todos.find(...)),
   * and a write through a call's value that no variable names. */
  c = compile(
      "const app = require('express')();\n"
      "const todos = [{ id: 1, done: false }];\n"
      "const items = [{ n: 0, tags: [] }];\n"
      "const notes = [{ text: '' }];\n"
      "const counts = [{ n: 0 }];\n"
      "function findTodo(id) { if (id < 0) return null; return todos.find((t) => t.id === id); }\n"
      "const firstNote = () => notes[0];\n"
      "app.get('/t', function finish(req, res) { const t = findTodo(1); t.done = true; res.end(); });\n"
      "app.get('/i', function bump(req, res) { items.find((t) => t).n++; res.end(); });\n"
      "app.get('/g', function tag(req, res) { items.find((t) => t).tags.push('x'); res.end(); });\n"
      "app.get('/n', function edit(req, res) { Object.assign(firstNote(), { text: 'x' }); res.end(); });\n"
      "app.get('/c', function read(req, res) { res.json(counts.find((c) => c).n); });\n",
      NULL);
  ASSERT(!replicated(c, "todos"));
  ASSERT(state_of(c, "finish")->group >= 0);
  ASSERT(!replicated(c, "items"));
  ASSERT(same_group(c, "bump", "tag"));
  ASSERT(!replicated(c, "notes"));
  ASSERT(state_of(c, "edit")->group >= 0);
  ASSERT(replicated(c, "counts"));   /* only read */
  release(c);
  return 0;
}

/* Given to a function of Node's own modules, or a constant string: not
 * changed, so a file name read by every route is copied to every worker. */
TEST_IMPL(compile_core_calls_only_read) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const fs = require('fs'), path = require('path');\n"
      "const file = path.join(__dirname, 'books.json');\n"
      "const name = 'books.json';\n"
      "const buf = Buffer.alloc(16);\n"
      "async function load() { return JSON.parse(await fs.promises.readFile(file, 'utf8')); }\n"
      "app.get('/a', async function a(req, res) { res.json(await load()); });\n"
      "app.get('/b', function b(req, res) { res.send(path.basename(name)); });\n"
      "app.get('/c', function c(req, res) { fs.readSync(0, buf); res.end(); });\n", NULL);
  ASSERT(replicated(c, "file"));
  ASSERT(replicated(c, "name"));
  ASSERT(replicated(c, "load"));
  ASSERT_EQ(F(c, "a")->group, -1);
  ASSERT_EQ(F(c, "b")->group, -1);
  ASSERT(!replicated(c, "buf"));   /* fs.readSync fills it */
  ASSERT(state_of(c, "c")->group >= 0);
  ASSERT_EQ(c->p.ngroup_code, 0);
  release(c);
  return 0;
}

/* A listener registered per request that assigns that request's variable
 * (an event stream's counter) stays a plain closure in its handler: each
 * request keeps its own n. One that also changes the program's state does
 * too, and its handler joins that state's group. */
TEST_IMPL(compile_per_request_counter_stays_in_its_handler) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "let served = 0;\n"
      "app.get('/events', function events(req, res) {\n"
      "  let n = 0;\n"
      "  const iv = setInterval(function tick() {\n"
      "    res.write('data: ' + ++n + '\\n\\n');\n"
      "    if (n === 3) { clearInterval(iv); res.end(); }\n"
      "  }, 30);\n"
      "});\n"
      "app.get('/count', function count(req, res) {\n"
      "  let k = 0;\n"
      "  setInterval(function more() { k++; served++; }, 30);\n"
      "  res.end();\n"
      "});\n", NULL);
  ASSERT(!emitted(c, FLXL_FLUXION, "tick", ""));
  ASSERT_EQ(F(c, "events")->group, -1);
  ASSERT(emitted(c, FLXL_FLUXION, "events", "let n = 0;\n  const iv = setInterval(function tick() {"));
  ASSERT(!emitted(c, FLXL_FLUXION, "more", ""));
  ASSERT_INT(F(c, "count")->group, >=, 0);   /* served is the program's */
  ASSERT_STR_EQ(names(F(c, "count")->ctx, F(c, "count")->nctx), "served");
  release(c);
  return 0;
}

/* Callbacks that share a variable of their request which changes while they
 * run (a count of parallel reads done, a body gathered chunk by chunk, a
 * value assigned after the callback was registered) stay closures of the
 * handler: copied with each message, every read would count only itself; in
 * a group, every request would share one body. A variable never assigned
 * again still travels with the messages. */
TEST_IMPL(compile_changing_chain_variables_stay_closures) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const fs = require('fs');\n"
      "app.get('/join', function join(req, res) {\n"
      "  var done = 0;\n"
      "  ['a', 'b'].forEach(function (name) {\n"
      "    fs.readFile(name, function read(err, text) { if (++done === 2) res.end('both'); });\n"
      "  });\n"
      "});\n"
      "app.post('/echo', function echo(req, res) {\n"
      "  var body = '';\n"
      "  req.on('data', function chunk(c) { body += c; });\n"
      "  req.on('end', function end() { res.end(body); });\n"
      "});\n"
      "app.get('/late', function late(req, res) {\n"
      "  var word = 'early';\n"
      "  fs.stat('.', function stat() { res.end(word); });\n"
      "  word = 'late';\n"
      "});\n"
      "app.get('/file', function file(req, res) {\n"
      "  var name = req.query.name;\n"
      "  fs.readFile(name, function got(err, text) { res.end(name + text); });\n"
      "});\n", NULL);
  ASSERT(!emitted(c, FLXL_FLUXION, "read", ""));
  ASSERT(!emitted(c, FLXL_FLUXION, "chunk", ""));
  ASSERT(!emitted(c, FLXL_FLUXION, "end", ""));
  ASSERT(!emitted(c, FLXL_FLUXION, "stat", ""));
  ASSERT(emitted(c, FLXL_FLUXION, "echo", "req.on('end', function end() { res.end(body); });"));
  ASSERT_EQ(F(c, "join")->group, -1);
  ASSERT_EQ(F(c, "echo")->group, -1);
  ASSERT_EQ(F(c, "late")->group, -1);
  ASSERT(prints(c, "-> got [res, name]"));
  ASSERT(warned(c, "done is each run's own in join (line 3) and changes while callbacks use "
                   "it: this callback stays a plain function in it, and runs where it runs"));
  release(c);
  return 0;
}

/* Main's statements that change state after its declaration run where the
 * state lives: on every worker for replicated variables, in the group for a
 * group's (its helpers' calls too); main loses them. Only a statement that
 * also needs main's own variables stays, and is warned about. A group's
 * context starts from the declared value: main changing it later (directly,
 * or through a helper) is said, and unchanged state is not. */
TEST_IMPL(compile_main_writes_warned) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const todos = [];\n"
      "todos.push({ id: 1 });\n"
      "const log = [];\n"
      "const note = (s) => log.push(s);\n"
      "note('start');\n"
      "let hits = 0;\n"
      "const seen = [];\n"
      "seen.push(app.get('env'));\n"
      "app.get('/t', function t(req, res) { res.json(todos); });\n"
      "app.get('/l', function l(req, res) { note('l'); res.json(log); });\n"
      "app.get('/h', function h(req, res) { hits++; res.end(); });\n"
      "app.get('/s', function s(req, res) { res.json(seen); });\n", NULL);
  ASSERT(replicated(c, "todos"));
  ASSERT(emitted(c, FLXL_REPLICATED, NULL, "const todos = [];\ntodos.push({ id: 1 });"));
  ASSERT(emitted(c, FLXL_GROUP_CODE, "grp_log", "note('start');"));
  ASSERT(!emitted(c, FLXL_FLUXION, "main", "note('start')"));
  ASSERT(!emitted(c, FLXL_FLUXION, "main", "todos"));
  ASSERT(!emitted(c, FLXL_FLUXION, "main", "let hits"));   /* the group's alone */
  ASSERT(!warned(c, "todos is changed by main"));
  ASSERT(!warned(c, "log is changed by main"));
  ASSERT(!warned(c, "hits is changed by main"));
  ASSERT(warned(c, "seen is changed by main after its declaration, and s starts from"));
  release(c);
  return 0;
}

/* A group's variable whose value is an object made by a package (a database)
 * is made once, in the group, after main has run; main's statements about
 * it go there; what its value reads (the constructor, the file name) is on
 * every worker. fs's Sync calls take no callback. */
TEST_IMPL(compile_group_owns_its_state) {
  compiled_t *c = compile(
      "var express = require('express');\n"
      "var Datastore = require('nedb');\n"
      "var fs = require('fs');\n"
      "var file = '/tmp/x.db';\n"
      "var path = require('path');\n"
      "if (fs.existsSync(file)) fs.unlinkSync(file);\n"
      "fs.mkdirSync(path.join('/tmp', 'd'), { recursive: true });\n"
      "var db = new Datastore({ filename: path.resolve(file), autoload: true });\n"
      "db.ensureIndex({ fieldName: 'id' });\n"
      "var app = express();\n"
      "app.post('/n', function add(req, res) { db.insert(req.body, function (e, d) { res.json(d); }); });\n"
      "app.get('/n', function list(req, res) { db.find({}, function (e, d) { res.json(d); }); });\n"
      "app.get('/f', function raw(req, res) { res.send(fs.readFileSync(file)); });\n",
      NULL);
  ASSERT(same_group(c, "add", "list"));   /* find may change a Datastore, unlike an array */
  ASSERT(F(c, "raw")->group < 0);
  ASSERT(replicated(c, "Datastore"));
  ASSERT(replicated(c, "file"));
  ASSERT(!warned(c, "callback"));
  ASSERT(!warned(c, "changed by main"));
  ASSERT(emitted(c, FLXL_GROUP_CODE, "grp_db", "db.ensureIndex({ fieldName: 'id' });"));
  ASSERT(!emitted(c, FLXL_FLUXION, "main", "Datastore"));
  ASSERT(!emitted(c, FLXL_FLUXION, "main", "db."));
  /* An effect on the system happens once, in main, in its place. */
  ASSERT(emitted(c, FLXL_FLUXION, "main", "if (fs.existsSync(file)) fs.unlinkSync(file);"));
  ASSERT(emitted(c, FLXL_FLUXION, "main", "fs.mkdirSync(path.join('/tmp', 'd'), { recursive: true });"));
  release(c);
  return 0;
}

/* The emitted context variable `var` of fluxion `name`. */
static bool ctx_from_main(const compiled_t *c, const char *name, const char *var) {
  flxl_program_t prog;
  flxc_emit_flx(&c->p, &prog);
  bool from = false;
  for (size_t i = 0; i < prog.n; i++)
    for (size_t k = 0; prog.items[i].item == FLXL_FLUXION && k < prog.items[i].nctx; k++)
      if (strcmp(prog.items[i].name, name) == 0 && strcmp(prog.items[i].ctx[k].name, var) == 0)
        from = prog.items[i].ctx[k].from_main && prog.items[i].ctx[k].init == NULL;
  flxl_program_free(&prog);
  return from;
}

/* An initial value that hands a callback over is an effect made once: never
 * replicated, made by main and copied to the group (`from main`), main
 * keeping what it does with it. A package's object main uses too is made
 * twice, with a warning. */
TEST_IMPL(compile_effects_made_once) {
  compiled_t *c = compile(
      "const express = require('express');\n"
      "const app = express();\n"
      "let hits = 0;\n"
      "const ticker = setInterval(function tick() { hits++; }, 50);\n"
      "app.get('/stop', function stop(req, res) { clearInterval(ticker); res.send('ok ' + hits); });\n"
      "app.get('/down', function down(req, res) { res.send('bye'); server.close(); });\n"
      "const server = app.listen(3000, function up() { console.log('up'); });\n"
      "process.on('SIGTERM', function term() { server.close(); });\n"
      "const Store = require('nedb');\n"
      "const store = new Store();\n"
      "app.get('/n', function count(req, res) { store.count({}, function (e, n) { res.json(n); }); });\n"
      "const started = Date.now();\n"
      "console.log(started, store);\n",
      NULL);
  ASSERT(!replicated(c, "ticker"));
  ASSERT(same_group(c, "tick", "stop"));
  ASSERT(ctx_from_main(c, "stop", "ticker"));
  ASSERT(emitted(c, FLXL_FLUXION, "main", "const ticker = setInterval(>> tick, 50);"));
  ASSERT(!replicated(c, "server"));
  ASSERT(ctx_from_main(c, "down_state", "server"));
  ASSERT(emitted(c, FLXL_FLUXION, "main", "const server = app.listen(3000, -> up);"));
  ASSERT(emitted(c, FLXL_FLUXION, "main", "process.on('SIGTERM'"));
  ASSERT(!warned(c, "changed by main"));
  /* An object of a package's class cannot be copied: made twice, and said. */
  ASSERT(!ctx_from_main(c, "count", "store"));
  ASSERT(warned(c, "store is used by main and by group grp_store"));
  ASSERT(!warned(c, "server is used by main"));
  release(c);
  return 0;
}

TEST_IMPL(compile_fallback_warnings) {
  compiled_t *c = compile(
      "const app = require('express')();\n"
      "const fs = require('fs');\n"
      "let total = 0;\n"
      "const plugin = require(process.env.PLUGIN);\n"
      "app.get('/e', function e(req, res) { res.send(String(eval(req.query.x))); });\n"
      "app.get('/t', function t(req, res) { total++; res.end(); });\n"
      "app.get('/w', function w(req, res) { with (req.query) { res.send(a); } });\n"
      "app.get('/f', function f(req, res) { res.send(new Function('return 1')()); });\n"
      "app.get('/g', function g() { return arguments.length; });\n"
      "app.get('/u', function u(req, res) { mystery(total); res.end(); });\n"
      "fs.readFile('x', next);\n", NULL);
  ASSERT(warned(c, "eval hides which variables"));
  ASSERT(warned(c, "'with' hides which variables"));
  ASSERT(warned(c, "new Function hides"));
  ASSERT(warned(c, "require of a computed name"));
  ASSERT(warned(c, "'arguments' may alias"));
  ASSERT(warned(c, "total is given to mystery"));
  ASSERT(warned(c, "callback 'next' of fs.readFile is computed at run time"));
  /* Less parallel, never wrong: eval may touch total, so e joins t. */
  ASSERT(same_group(c, "e", "t"));
  ASSERT(same_group(c, "t", "u"));
  release(c);
  return 0;
}

TEST_IMPL(compile_async_additions) {
  const char *src =
      "const db = require('./db');\n"
      "let last = null;\n"
      "db.query('select 1', function got(err, rows) { last = rows; });\n";
  compiled_t *c = compile(src, NULL);
  ASSERT_EQ(c->p.n, 1);   /* db.query is not known to be asynchronous */
  release(c);
  flxc_async_t extra = {0};
  char path[] = "/tmp/flx-async-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fdopen(fd, "w");
  fputs("# the application's own asynchronous callees\npost db.query\nstart bus.subscribe\n", f);
  fclose(f);
  flxl_error_t e;
  ASSERT_OK(flxc_async_load(&extra, path, &e));
  ASSERT_EQ(extra.n, 2);
  c = compile(src, &extra);
  expect_fluxion(c, "got", "main", FLXL_POST, "", "last");
  release(c);
  flxc_async_free(&extra);
  f = fopen(path, "w");
  fputs("later db.query\n", f);
  fclose(f);
  ASSERT_EQ(flxc_async_load(&extra, path, &e), -1);
  ASSERT_EQ(e.line, 1);
  flxl_error_free(&e);
  unlink(path);
  return 0;
}

/* async/await instead of callbacks: the code after each top-level await is
 * a continuation, so Listing 1 and Figure 5 keep their structure. */
TEST_IMPL(compile_modern_await) {
  compiled_t *c = compile(
      "const express = require('express');\n"
      "const fs = require('fs');\n"
      "const app = express();\n"
      "let count = 0;\n"
      "app.get('/', async (req, res) => {\n"
      "  const data = await fs.promises.readFile(__filename);\n"
      "  count += 1;\n"
      "  res.send(`${count} ${data.length}`);\n"
      "});\n"
      "app.listen(8080);\n", NULL);
  ASSERT_EQ(c->p.n, 3);
  expect_fluxion(c, "anonymous_5", "main", FLXL_START, "", "");
  expect_fluxion(c, "anonymous_7", "anonymous_5", FLXL_POST, "res,data", "count");
  ASSERT_EQ(F(c, "anonymous_5")->group, -1);
  release(c);

  c = compile(
      "const app = require('express')();\n"
      "const fs = require('fs/promises');\n"
      "let a = 0, c = 0;\n"
      "async function update(v) { await fs.writeFile('/tmp/flx-fig5', String(v)); return v; }\n"
      "app.get('/', async function onReq(req, res) {\n"
      "  const b = Number(req.query.count);\n"
      "  const v = await fs.readFile(__filename);\n"
      "  a += b + c + v.length;\n"
      "  const updt = await update(a);\n"
      "  c = updt;\n"
      "  res.end();\n"
      "});\n", NULL);
  expect_fluxion(c, "onReq", "main", FLXL_START, "", "");
  expect_fluxion(c, "anonymous_8", "onReq", FLXL_POST, "b,v,res", "a,c");
  expect_fluxion(c, "anonymous_10", "anonymous_8", FLXL_POST, "updt,res", "c");
  ASSERT(same_group(c, "anonymous_8", "anonymous_10"));
  ASSERT_EQ(F(c, "onReq")->group, -1);
  ASSERT(replicated(c, "update"));
  release(c);
  return 0;
}

/* Listing 3 with arrows and a promise: still one fluxion after getRawBody,
 * with req and next in its stream. */
TEST_IMPL(compile_listing3_modern) {
  compiled_t *c = compile(
      "const express = require('express');\n"
      "const app = express();\n"
      "const routes = require('gifsockets-middleware');\n"
      "const getRawBody = require('raw-body');\n"
      "const bodyParser = (limit) => (req, res, next) =>\n"
      "  getRawBody(req, { expected: req.headers['content-length'], limit }, (err, buffer) => {\n"
      "    req.body = buffer;\n"
      "    next();\n"
      "  });\n"
      "app.post('/image/text', bodyParser(1024 * 1024), routes.writeTextToImages);\n"
      "app.listen(8000);\n", NULL);
  ASSERT_EQ(c->p.n, 2);
  expect_fluxion(c, "anonymous_6", "main", FLXL_POST, "req,next", "");
  ASSERT(warned(c, "of app.post is computed at run time"));
  release(c);
  return 0;
}

TEST_IMPL(compile_json_reader) {
  const char *why;
  size_t at;
  flxc_json_t *j = flxc_json_parse(
      " {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\\"y\\n\\u0041\", \"o\": {}, \"a\": 7} ",
      &why, &at);
  ASSERT(j != NULL);
  ASSERT_EQ(flxc_json_get(j, "a")->number, 7);   /* the last one wins */
  ASSERT_EQ(j->items[0]->n, 5);
  ASSERT_EQ(j->items[0]->items[1]->number, -25);
  ASSERT_EQ(j->items[0]->items[4]->kind, FLXC_JSON_NULL);
  ASSERT_STR_EQ(flxc_json_get(j, "s")->string, "x\"y\nA");
  ASSERT_EQ(flxc_json_get(j, "o")->kind, FLXC_JSON_OBJECT);
  ASSERT(flxc_json_get(j, "none") == NULL);
  flxc_json_free(j);
  ASSERT(flxc_json_parse("{\"a\" 1}", &why, &at) == NULL);
  ASSERT_STR_EQ(why, "expected ':'");
  ASSERT(flxc_json_parse("[1, 2", &why, &at) == NULL);
  ASSERT(flxc_json_parse("{} x", &why, &at) == NULL);
  ASSERT_STR_EQ(why, "text after the value");
  return 0;
}

/* The application's package.json adds asynchronous callees: "flx": {"async"}. */
TEST_IMPL(compile_async_from_package_json) {
  char dir[] = "/tmp/flx-pkg-XXXXXX";
  ASSERT(mkdtemp(dir) != NULL);
  char path[256], sub[256], app[300];
  snprintf(path, sizeof path, "%s/package.json", dir);
  snprintf(sub, sizeof sub, "%s/src", dir);
  snprintf(app, sizeof app, "%s/src/app.js", dir);
  ASSERT_OK(mkdir(sub, 0700));
  FILE *f = fopen(path, "w");
  fputs("{\n  \"name\": \"x\",\n  \"flx\": {\"async\": {\"db.query\": \"post\", "
        "\"bus.on\": \"start\"}}\n}\n", f);
  fclose(f);
  flxc_async_t extra = {0};
  flxl_error_t e;
  ASSERT_OK(flxc_async_from_package(&extra, app, &e));   /* found one folder up */
  ASSERT_EQ(extra.n, 2);
  ASSERT_STR_EQ(extra.names[0], "db.query");
  ASSERT_EQ(extra.kinds[1], FLXL_START);
  compiled_t *c = compile("const db = require('./db');\nlet last;\n"
                          "db.query('q', function got(err, rows) { last = rows; });\n", &extra);
  expect_fluxion(c, "got", "main", FLXL_POST, "", "last");
  release(c);
  flxc_async_free(&extra);
  f = fopen(path, "w");
  fputs("{\n  \"flx\": {\"async\": {\"db.query\": \"later\"}}\n}\n", f);
  fclose(f);
  ASSERT_EQ(flxc_async_from_package(&extra, app, &e), -1);
  ASSERT_EQ(e.line, 2);
  ASSERT_CONTAINS(e.message, "must be \"start\" or \"post\"");
  flxl_error_free(&e);
  flxc_async_free(&extra);
  f = fopen(path, "w");
  fputs("{\n  \"flx\": {\n", f);
  fclose(f);
  ASSERT_EQ(flxc_async_from_package(&extra, app, &e), -1);
  ASSERT_EQ(e.line, 3);
  flxl_error_free(&e);
  unlink(path);
  rmdir(sub);
  rmdir(dir);
  return 0;
}

static void write_text(const char *dir, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  ASSERT(f != NULL);
  fputs(text, f);
  fclose(f);
}

/* Routes in their own files: each file's state is the program's, under a
 * name of its own; positions point into the file they come from. */
TEST_IMPL(compile_multi_file_app) {
  char dir[] = "/tmp/flx-app-XXXXXX", path[300];
  ASSERT(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/routes", dir);
  ASSERT_OK(mkdir(path, 0700));
  write_text(dir, "app.js",
        "const express = require('express');\n"
        "const config = require('./config.json');\n"
        "const todos = require('./routes/todos');\n"
        "const counter = require('./routes/counter.js');\n"
        "const app = express();\n"
        "app.use('/todos', todos);\n"
        "app.use('/count', counter.router);\n"
        "app.listen(config.port);\n");
  write_text(dir, "config.json", "{ \"port\": 3000, \"limit\": 50 }\n");
  write_text(dir, "routes/todos.js",
        "const router = require('express').Router();\n"
        "const { limit } = require('../config.json');\n"
        "const todos = [];\n"
        "router.post('/', function add(req, res) { todos.push(req.body); res.sendStatus(201); });\n"
        "router.get('/', function list(req, res) { res.json(todos.slice(0, limit)); });\n"
        "module.exports = router;\n");
  write_text(dir, "routes/counter.js",
        "const router = require('express').Router();\n"
        "let count = 0;\n"
        "router.get('/', (req, res) => res.send(`${++count} ${__filename}`));\n"
        "exports.router = router;\n");
  snprintf(path, sizeof path, "%s/app.js", dir);
  compiled_t *c = calloc(1, sizeof *c);
  flxl_error_t e;
  ASSERT_OK(flxc_parse_app(path, &c->unit, &e));
  analyse(c, NULL);
  ASSERT_EQ(c->p.nwarnings, 0);
  ASSERT(same_group(c, "add", "list"));
  expect_fluxion(c, "add", "main", FLXL_START, "", "todos$2");
  expect_fluxion(c, "anonymous_3", "main", FLXL_START, "", "count$3");
  ASSERT(F(c, "anonymous_3")->group != F(c, "add")->group);
  ASSERT(replicated(c, "limit$2"));
  const char *file;
  int line;
  flxc_unit_position(&c->unit, F(c, "list")->line, &file, &line);
  ASSERT_CONTAINS(file, "/routes/todos.js");
  ASSERT_EQ(line, 5);
  ASSERT_CONTAINS(c->unit.src, "res.send(`${++count$3} ${\"");   /* __filename: its own */
  release(c);

  /* A mistake in a required file is reported in that file. */
  write_text(dir, "routes/counter.js", "const x = (1;\n");
  c = calloc(1, sizeof *c);
  ASSERT_EQ(flxc_parse_app(path, &c->unit, &e), -1);
  ASSERT_CONTAINS(e.file, "/routes/counter.js");
  ASSERT_EQ(e.line, 1);
  flxl_error_free(&e);
  write_text(dir, "routes/counter.js", "require('./nowhere');\n");
  ASSERT_EQ(flxc_parse_app(path, &c->unit, &e), -1);
  ASSERT_STR_EQ(e.message, "cannot find module './nowhere'");
  ASSERT_EQ(e.col, 1);
  flxl_error_free(&e);
  free(c);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ASSERT_OK(system(cmd));
  return 0;
}

/* A callback that restarts itself, and two that restart each other: the
 * streams are drawn, and the chain of parents still ends at main. */
TEST_IMPL(compile_callbacks_restarting_themselves) {
  compiled_t *c = compile(
      "let ticks = 0;\n"
      "function poll() { ticks++; setTimeout(poll, 1000); }\n"
      "poll();\n"
      "function ping() { setTimeout(pong, 10); }\n"
      "function pong() { setTimeout(ping, 10); }\n"
      "setImmediate(ping);\n"
      "function twice(x) { return x * 2; }\n"
      "setTimeout(twice, 5);\n"
      "const four = twice(2);\n", NULL);
  ASSERT_STR_EQ(F(c, "poll")->parent->name, "main");
  ASSERT(warned(c, "poll is a callback used here too"));
  /* twice's result is used: it stays a plain function, no fluxion. */
  ASSERT(warned(c, "twice is a callback whose result is used here"));
  for (size_t i = 0; i < c->p.n; i++)
    ASSERT(strcmp(c->p.fluxions[i]->name, "twice") != 0);
  ASSERT_STR_EQ(F(c, "ping")->parent->name, "main");
  ASSERT_STR_EQ(F(c, "pong")->parent->name, "ping");
  flxc_stream_t *st;
  size_t n = flxc_streams(&c->p, &st);
  bool self = false, back = false;
  for (size_t i = 0; i < n; i++) {
    self = self || (st[i].from == F(c, "poll") && st[i].to == F(c, "poll"));
    back = back || (st[i].from == F(c, "pong") && st[i].to == F(c, "ping"));
  }
  free(st);
  ASSERT(self && back);
  expect_fluxion(c, "poll", "main", FLXL_POST, "", "ticks");
  release(c);
  return 0;
}

/* ES modules between the application's files: imports read the exporting
 * file's values live, and code reached through another file's exports
 * counts for the fluxion that calls it. */
TEST_IMPL(compile_multi_file_esm) {
  char dir[] = "/tmp/flx-esm-XXXXXX", path[300];
  ASSERT(mkdtemp(dir) != NULL);
  write_text(dir, "app.mjs",
             "import express from 'express';\n"
             "import router, { stats } from './todos.mjs';\n"
             "import * as util from './util.mjs';\n"
             "const app = express();\n"
             "app.use('/todos', router);\n"
             "app.get('/stats', (req, res) => res.json({ stats: stats(), v: util.version }));\n");
  write_text(dir, "todos.mjs",
             "import { Router } from 'express';\n"
             "import { label } from './util.mjs';\n"
             "const router = Router();\n"
             "export let added = 0;\n"
             "const todos = [];\n"
             "router.post('/', (req, res) => { todos.push(label(req.body)); added++; res.end(); });\n"
             "export function stats() { return { added, size: todos.length }; }\n"
             "export default router;\n");
  write_text(dir, "util.mjs",
             "export const version = '1.0';\n"
             "function label(x) { return `#${x}`; }\n"
             "export { label };\n"
             "export default function shout(s) { return s.toUpperCase(); }\n");
  snprintf(path, sizeof path, "%s/app.mjs", dir);
  compiled_t *c = calloc(1, sizeof *c);
  flxl_error_t e;
  ASSERT_OK(flxc_parse_app(path, &c->unit, &e));
  analyse(c, NULL);
  ASSERT_EQ(c->p.nwarnings, 0);
  /* /stats calls stats(), which reads the state that the POST route writes. */
  ASSERT(same_group(c, "anonymous_6", "anonymous_6_2"));
  ASSERT(replicated(c, "label$2"));
  ASSERT_CONTAINS(c->unit.src, "import { Router as Router$1 } from 'express';");
  ASSERT_CONTAINS(c->unit.src, "module$1.exports.default = router$1;");
  ASSERT_CONTAINS(c->unit.src, "\"default\", { get: () => shout$2");
  ASSERT_CONTAINS(c->unit.src, "v: module$2.exports.version");
  release(c);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ASSERT_OK(system(cmd));
  return 0;
}
