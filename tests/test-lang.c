/* test-lang.c — the .flx language: parsing seed 000's Listing 2 and the
 * extensions, printing back canonically, placeholders, and each mistake
 * reported at its line and column. */
#include "test.h"
#include "../src/lang/flxl.h"

static const char listing2[] =
    "flx main & grp_res\n"
    ">> handler [res]\n"
    "  var app = require('express')(),\n"
    "      fs = require('fs'),\n"
    "      count = 0;\n"
    "\n"
    "  app.get('/', >> handler);\n"
    "  app.listen(8080);\n"
    "\n"
    "flx handler\n"
    "-> reply [res]\n"
    "  function handler(req, res) {\n"
    "    fs.readFile(__filename, -> reply);\n"
    "  }\n"
    "\n"
    "flx reply & grp_res {count, template}\n"
    "-> null\n"
    "  function reply(error, data) {\n"
    "    count += 1;\n"
    "    res.send(err || template(count, data));\n"
    "  }\n";

static flxl_program_t parse_ok(const char *text) {
  flxl_program_t p;
  flxl_error_t e;
  if (flxl_parse("t.flx", text, strlen(text), &p, &e) != 0) {
    flxl_error_print(&e, stderr);
    FAIL("unexpected parse error");
  }
  return p;
}

static void round_trip(const char *text) {
  flxl_program_t p = parse_ok(text);
  char *printed = flxl_print(&p);
  ASSERT_STR_EQ(printed, text);
  free(printed);
  flxl_program_free(&p);
}

TEST_IMPL(lang_listing2_structure) {
  flxl_program_t p = parse_ok(listing2);
  ASSERT_EQ(p.n, 3);
  const flxl_fluxion_t *main_f = flxl_find(&p, "main");
  ASSERT(main_f != NULL);
  ASSERT_EQ(main_f->tags.n, 1);
  ASSERT_STR_EQ(main_f->tags.items[0], "grp_res");
  ASSERT_EQ(main_f->nstreams, 1);
  ASSERT_EQ(main_f->streams[0].kind, FLXL_START);
  ASSERT_STR_EQ(main_f->streams[0].dest.items[0], "handler");
  ASSERT_STR_EQ(main_f->streams[0].msg.items[0], "res");
  ASSERT_EQ(main_f->body_line, 3);
  ASSERT_EQ(main_f->nholes, 1);
  ASSERT_EQ(main_f->holes[0].kind, FLXL_START);
  ASSERT_STR_EQ(main_f->holes[0].dest, "handler");
  ASSERT(strncmp(main_f->body + main_f->holes[0].offset, ">> handler);", 12) == 0);
  ASSERT_EQ(main_f->holes[0].len, strlen(">> handler"));

  const flxl_fluxion_t *handler = flxl_find(&p, "handler");
  ASSERT_EQ(handler->tags.n, 0);
  ASSERT_EQ(handler->nctx, 0);
  ASSERT_EQ(handler->nholes, 1);
  ASSERT_EQ(handler->holes[0].kind, FLXL_POST);
  ASSERT_STR_EQ(handler->body, "function handler(req, res) {\n  fs.readFile(__filename, -> reply);\n}\n");

  const flxl_fluxion_t *reply = flxl_find(&p, "reply");
  ASSERT(reply->sends_nothing);
  ASSERT_EQ(reply->nctx, 2);
  ASSERT_STR_EQ(reply->ctx[0].name, "count");
  ASSERT(reply->ctx[0].init == NULL);
  ASSERT_STR_EQ(reply->ctx[1].name, "template");
  ASSERT_EQ(reply->nholes, 0);
  ASSERT(flxl_find(&p, "nobody") == NULL);
  flxl_program_free(&p);
  return 0;
}

TEST_IMPL(lang_print_round_trip) {
  round_trip(listing2);
  round_trip("flx main\n"
             ">> hit\n"
             "  app.get('/', >> hit);\n"
             "\n"
             "group grp_n @ app.js:3:1\n"
             "  function bump() {\n"
             "    return ++n;\n"
             "  }\n"
             "\n"
             "flx hit & grp_n {n = 0} @ app.js:6:15\n"
             "-> null\n"
             "  (req, res) => res.json(bump())\n");
  round_trip("replicated\n"
             "  const fs = require('fs');\n"
             "  function template(n, d) { return `${n}: ${d}`; }\n"
             "\n"
             "flx main @ app.js:1:1\n"
             ">> onReq [b]\n"
             "  http.createServer(>> onReq).listen(8080);\n"
             "\n"
             "flx onReq @ app.js:4:19\n"
             "-> add, end [b]\n"
             "  function onReq(req, res) { add(-> add); end(-> end); }\n"
             "\n"
             "flx add & g1 {a = 0, c = {total: [0, 1], s: 'x,}'}}\n"
             "-> null\n"
             "  function add() { a += b; c.total[0] += a; }\n"
             "\n"
             "flx end & g1\n"
             "-> null\n"
             "  function end() {}\n");
  round_trip("flx main\n"
             ">> down\n"
             "  app.get('/down', >> down);\n"
             "  const server = app.listen(80);\n"
             "\n"
             "flx down & grp_server {server from main, n = 0}\n"
             "-> null\n"
             "  (req, res) => server.close()\n");
  /* Not canonical in, canonical out. */
  flxl_program_t p = parse_ok("flx a&g ,h {x=1 ,y}   \n->   null\n\n\n  body();\n\n\n");
  char *printed = flxl_print(&p);
  ASSERT_STR_EQ(printed, "flx a & g, h {x = 1, y}\n-> null\n  body();\n");
  ASSERT_EQ(p.items[0].body_line, 5);
  free(printed);
  flxl_program_free(&p);
  return 0;
}

TEST_IMPL(lang_placeholders_not_operators) {
  flxl_program_t p = parse_ok(
      "flx f\n"
      ">> g\n"
      "-> h\n"
      "  var x = a >> b, y = 1 >> 2;   // -> h in a comment\n"
      "  while (i-->0) s = '-> h' + \"> > g\" + `>> g ${x}`;\n"
      "  var re = /->h/g;\n"
      "  on('x', >> g); return -> h;\n"
      "  f(function () {}, -> h)\n"
      "  u = (u + 1) >>> 0; v >>= 1; w >>>= (x)>>>2; q = (k)>>1 > (j)>>>1;\n"
      "  once(() => >> g);\n"
      "\n"
      "flx g\n"
      "-> null\n"
      "\n"
      "flx h\n"
      "-> null\n");
  const flxl_fluxion_t *f = flxl_find(&p, "f");
  ASSERT_EQ(f->nholes, 4);
  ASSERT(strncmp(f->body + f->holes[3].offset, ">> g);", 6) == 0);
  ASSERT_EQ(f->holes[0].kind, FLXL_START);
  ASSERT_STR_EQ(f->holes[0].dest, "g");
  ASSERT_EQ(f->holes[1].kind, FLXL_POST);
  ASSERT_EQ(f->holes[2].kind, FLXL_POST);
  ASSERT(strncmp(f->body + f->holes[2].offset, "-> h)", 5) == 0);
  ASSERT_STR_EQ(flxl_find(&p, "g")->body, "");
  flxl_program_free(&p);
  return 0;
}

/* The error for text must be at line:col and mention `needle`. */
static void expect_error(const char *text, int line, int col, const char *needle) {
  flxl_program_t p;
  flxl_error_t e;
  if (flxl_parse("bad.flx", text, strlen(text), &p, &e) == 0)
    FAIL("no error for:\n%s", text);
  if (e.line != line || e.col != col || strstr(e.message, needle) == NULL)
    FAIL("got %d:%d '%s', expected %d:%d '%s'", e.line, e.col, e.message, line, col, needle);
  ASSERT_STR_EQ(e.file, "bad.flx");
  flxl_error_free(&e);
}

TEST_IMPL(lang_errors_point_at_mistakes) {
  expect_error("flx 42x\n", 1, 5, "expected a fluxion name");
  expect_error("flx\n", 1, 4, "expected a fluxion name");
  expect_error("-> a\n", 1, 1, "a stream must follow");
  expect_error("flx a\n-> b\n", 2, 4, "b, which is no fluxion");
  expect_error("flx a\n-> null\n\nflx a\n-> null\n", 4, 5, "already defined on line 1");
  expect_error("flx a\n-> null\n x();\n", 3, 1, "indented by two spaces");
  expect_error("flx a\n>> b\n  go(-> b);\nflx b\n-> null\n", 3, 6, "'-> b' is not a stream of fluxion a");
  expect_error("flx a {count\n", 1, 13, "expected ',' or '}'");
  expect_error("flx a {n = }\n", 1, 12, "expected an initial value");
  expect_error("flx a {s from x}\n", 1, 15, "expected 'main' after 'from'");
  expect_error("flx a @ app.js\n", 1, 9, "expected file:line:col");
  expect_error("flx a & \n", 1, 9, "expected a group name");
  expect_error("flx a ?\n", 1, 7, "unexpected '?'");
  expect_error("flx a\n-> b [x\nflx b\n", 2, 8, "expected ']'");
  expect_error("flx a\n-> b\n-> null\nflx b\n", 3, 1, "cannot follow other streams");
  expect_error("  orphan();\n", 1, 1, "JavaScript outside a fluxion");
  expect_error("flx a\n  x();\nbogus\n", 3, 1, "expected 'flx', 'replicated', 'group'");
  expect_error("flx a & g\n-> null\n\ngroup h\n  function f() {}\n", 4, 7, "group h has no fluxion");
  expect_error("group\tg x\n", 1, 9, "unexpected 'x' in the header of group g");
  expect_error("flx a\n>> b\n  f(>> 9);\nflx b\n", 3, 5, "expected a fluxion name after '>>'");
  return 0;
}

TEST_IMPL(lang_error_message_format) {
  flxl_program_t p;
  flxl_error_t e;
  const char *text = "flx ok\n-> null\n\nflx\t 9bad\n";
  ASSERT_EQ(flxl_parse("app.flx", text, strlen(text), &p, &e), -1);
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  flxl_error_print(&e, f);
  fclose(f);
  ASSERT_STR_EQ(out, "app.flx:4:6: error: expected a fluxion name after 'flx'\n"
                     "flx\t 9bad\n"
                     "   \t ^\n");
  free(out);
  flxl_error_free(&e);
  return 0;
}
