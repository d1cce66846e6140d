/* test-scope.c — the compiler's first phases: syntax errors reported at
 * file:line:col, and scope analysis (bindings, hoisting, references and how
 * each one uses its variable), checked on its printed form. */
#include "test.h"
#include "../src/compiler/flxc.h"

/* The printed analysis of src. */
static char *scopes_of(const char *src) {
  flxc_unit_t u;
  flxl_error_t e;
  if (flxc_parse_string("t.js", src, strlen(src), &u, &e) != 0) {
    flxl_error_print(&e, stderr);
    FAIL("unexpected syntax error");
  }
  flxc_scopes_t *s = flxc_scope_analyze(&u);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  flxc_scope_dump(s, out);
  fclose(out);
  flxc_scope_free(s);
  flxc_unit_free(&u);
  return text;
}

static void expect_scopes(const char *src, const char *want) {
  char *got = scopes_of(src);
  if (strcmp(got, want) != 0)
    FAIL("for:\n%s\ngot:\n%s\nwanted:\n%s", src, got, want);
  free(got);
}

static void expect_syntax_error(const char *src, int line, int col, const char *needle) {
  flxc_unit_t u;
  flxl_error_t e;
  if (flxc_parse_string("app.js", src, strlen(src), &u, &e) == 0)
    FAIL("no syntax error for:\n%s", src);
  if (e.line != line || e.col != col || strstr(e.message, needle) == NULL)
    FAIL("got %d:%d '%s', expected %d:%d '%s'", e.line, e.col, e.message, line, col, needle);
  ASSERT_STR_EQ(e.file, "app.js");
  flxl_error_free(&e);
}

TEST_IMPL(compiler_syntax_errors) {
  expect_syntax_error("var a = 1;\nvar b = (2;\n", 2, 11, "syntax error");
  expect_syntax_error("function f( {\n}\n", 1, 1, "syntax error");
  expect_syntax_error("let x = ;\n", 1, 7, "unexpected '='");
  /* Modern syntax parses. */
  flxc_unit_t u;
  flxl_error_t e;
  const char *modern =
      "import express from 'express';\n"
      "const { a = 1, ...rest } = obj, [x, , y = 2] = arr;\n"
      "class C extends B { #p = 1; static s() { return super.s?.(); } }\n"
      "const f = async (req, { q } = {}, ...more) => { await g(`t ${req?.id ?? 0}`); };\n"
      "export default f;\n";
  ASSERT_OK(flxc_parse_string("m.mjs", modern, strlen(modern), &u, &e));
  flxc_unit_free(&u);
  return 0;
}

/* Listing 1 of seed 000. */
TEST_IMPL(compiler_scopes_listing1) {
  expect_scopes(
      "var app = require('express')(),\n"
      "    fs = require('fs'),\n"
      "    count = 0;\n"
      "app.get('/', function handler(req, res) {\n"
      "  fs.readFile(__filename, function reply(err, data) {\n"
      "    count += 1;\n"
      "    res.send(err || template(count, data));\n"
      "  });\n"
      "});\n"
      "app.listen(8080);\n",
      "scope program 1:1\n"
      "  var app 1:5: w(init) r rw(member)\n"      /* get is a pure name (Map.get) */
      "  var fs 2:5: w(init) rw(member)\n"
      "  var count 3:5: w(init) rw r(arg)\n"
      "scope function 4:14 free fs count\n"        /* count: for the inner reply */
      "  function handler 4:23:\n"
      "  param req 4:31:\n"
      "  param res 4:36: rw(member)\n"
      "scope function 5:27 free count res\n"
      "  function reply 5:36:\n"
      "  param err 5:42: r\n"
      "  param data 5:47: r(arg)\n"
      "global require: r r\n"
      "global __filename: r(arg)\n"
      "global template: r\n");
  return 0;
}

TEST_IMPL(compiler_scopes_hoisting_and_blocks) {
  expect_scopes(
      "f();\n"
      "function f() { return v; }\n"
      "var v = 1;\n"
      "{ let v = 2; const w = v; }\n"
      "for (let i = 0; i < 3; i++) { var later = i; }\n"
      "try { g(); } catch ({ message }) { log(message); }\n",
      "scope program 1:1\n"
      "  var v 3:5: r w(init)\n"
      "  var later 5:35: w(init)\n"
      "  function f 2:10: r\n"
      "scope function 2:1 free v\n"
      "scope block 4:1\n"
      "  let v 4:7: w(init) r\n"
      "  const w 4:20: w(init)\n"
      "scope block 5:1\n"
      "  let i 5:10: w(init) r rw r\n"
      "scope block 5:29\n"
      "scope block 6:5\n"
      "scope catch 6:14\n"
      "  catch message 6:23: r(arg)\n"
      "scope block 6:34\n"
      "global g: r\n"
      "global log: r\n");
  return 0;
}

/* Writes through objects count as writes; known pure methods do not. */
TEST_IMPL(compiler_scopes_member_writes) {
  expect_scopes(
      "const users = {}, list = [], cfg = { port: 1 }, m = new Map();\n"
      "users[id] = x;\n"
      "list.push(x);\n"
      "delete users.old;\n"
      "cfg.n++;\n"
      "const n = list.length + Object.keys(cfg).length + JSON.stringify(users).length;\n"
      "list.slice(1).map(String);\n"
      "m.get(k); m.set(k, 1);\n"
      "Object.assign(cfg, { a: 1 });\n",
      "scope program 1:1\n"
      "  const users 1:7: w(init) rw(member) rw(member) r(arg)\n"
      "  const list 1:19: w(init) rw(member) r r\n"
      "  const cfg 1:30: w(init) rw(member) r(arg) rw(member)\n"
      "  const m 1:49: w(init) r rw(member)\n"
      "  const n 6:7: w(init)\n"
      "global Map: r\n"
      "global x: r r(arg)\n"
      "global id: r\n"
      "global Object: r r\n"
      "global JSON: r\n"
      "global String: r(arg)\n"
      "global k: r(arg) r(arg)\n");
  return 0;
}

/* Parameters with defaults and destructuring, arrows, closures, imports. */
TEST_IMPL(compiler_scopes_modern) {
  expect_scopes(
      "import express, { Router as R } from 'express';\n"
      "let hits = 0;\n"
      "const handler = async ({ query: { q } }, res, limit = hits) => {\n"
      "  const [first, ...others] = await find(q);\n"
      "  hits++;\n"
      "  res.json({ first, others, limit });\n"
      "};\n"
      "function legacy() { return arguments.length; }\n",
      "scope program 1:1\n"
      "  import express 1:8:\n"
      "  import R 1:29:\n"
      "  let hits 2:5: w(init) r rw\n"
      "  const handler 3:7: w(init)\n"
      "  function legacy 8:10:\n"
      "scope function 3:17 free hits\n"
      "  param q 3:35: r(arg)\n"
      "  param res 3:42: rw(member)\n"
      "  param limit 3:47: r\n"
      "  const first 4:10: w(init) r\n"
      "  const others 4:20: w(init) r\n"
      "scope function 8:1 arguments\n"
      "global find: r\n"
      "global arguments: r\n");
  return 0;
}
