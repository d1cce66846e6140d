/* test-host.c — fluxional programs run by the JavaScript host, over HTTP:
 * seed 000's Listing 2 by hand (a counter in a group, behind an asynchronous
 * step), a stateless fluxion on every worker, and an exception that costs
 * one request a 500 while the server goes on. */
#include "test.h"
#include "../src/compiler/flxc.h"
#include "../src/js/host.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static int free_port(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  ASSERT_OK(bind(s, (struct sockaddr *)&a, sizeof a));
  socklen_t n = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &n);
  close(s);
  return ntohs(a.sin_port);
}

typedef struct served_s {
  flx_js_host_t *host;
  bg_runtime_t *bg;
  int port;
} served_t;

static void serve(served_t *s, const char *program, int workers) {
  char port[16];
  s->port = free_port();
  snprintf(port, sizeof port, "%d", s->port);
  setenv("PORT", port, 1);
  flxl_error_t e;
  if (flx_js_host_new(&s->host, "test.flx", program, strlen(program), workers, &e) != 0) {
    flxl_error_print(&e, stderr);
    FAIL("the program does not load");
  }
  s->bg = bg_start(s->host->rt);
  for (int i = 0; i < 500; i++) {   /* until main has listened */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    if (ok)
      return;
    sleep_ms(10);
  }
  FAIL("the program never listened");
}

static void unserve(served_t *s) {
  bg_stop(s->bg);
  flx_js_host_free(s->host);
}

/* A main that serves HTTP through the fluxion onReq. */
#define MAIN_SERVING_ON_REQ                                                      \
  "flx main\n"                                                                  \
  ">> onReq\n"                                                                  \
  "  require('http').createServer(>> onReq).listen(Number(process.env.PORT));\n" \
  "\n"

/* Listing 2 of seed 000, as a person would write it by hand. */
static const char listing2[] =
    "replicated\n"
    "  var fs = require('fs');\n"
    "\n"
    "flx main\n"
    ">> handler\n"
    "  var http = require('http');\n"
    "  http.createServer(>> handler).listen(Number(process.env.PORT));\n"
    "\n"
    "flx handler\n"
    "-> reply [res]\n"
    "  function handler(req, res) {\n"
    "    fs.readFile(process.env.DATA_FILE, -> reply);\n"
    "  }\n"
    "\n"
    "flx reply & grp_res {count = 0}\n"
    "-> null\n"
    "  function reply(err, data) {\n"
    "    count += 1;\n"
    "    res.end(err ? err.code : count + ' ' + data.length);\n"
    "  }\n";

/* 10,000 requests over 32 connections: every count from 1 to 10,000 exactly
 * once, whichever worker handled each request. */
TEST_IMPL(host_listing2_counts_exactly) {
  enum { CONNS = 32, TOTAL = 10000 };
  served_t s;
  char data[] = "/tmp/flx-data-XXXXXX";
  int dfd = mkstemp(data);
  ASSERT(write(dfd, "twelve bytes", 12) == 12);
  close(dfd);
  setenv("DATA_FILE", data, 1);
  serve(&s, listing2, 2);
  int fds[CONNS];
  for (int i = 0; i < CONNS; i++)
    fds[i] = tcp_connect(s.port);
  unsigned char *seen = calloc(TOTAL + 1, 1);
  const char *get = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
  for (int done = 0; done < TOTAL;) {
    int batch = TOTAL - done < CONNS ? TOTAL - done : CONNS;
    for (int i = 0; i < batch; i++)
      tcp_send(fds[i], get, strlen(get));
    for (int i = 0; i < batch; i++) {
      char *r = http_recv_response(fds[i], 10000);
      const char *body = strstr(r, "\r\n\r\n");
      ASSERT(body != NULL);
      char *rest;
      long n = strtol(body + 4, &rest, 10);
      ASSERT(n >= 1 && n <= TOTAL);
      ASSERT_STR_EQ(rest, " 12");   /* the file was read */
      ASSERT_EQ(seen[n], 0);
      seen[n] = 1;
      free(r);
    }
    done += batch;
  }
  for (int i = 0; i < CONNS; i++)
    close(fds[i]);
  unserve(&s);
  for (int n = 1; n <= TOTAL; n++)
    ASSERT_EQ(seen[n], 1);
  free(seen);
  unlink(data);
  return 0;
}

/* The stateless handler runs on both workers; an exception in a fluxion is
 * that request's 500, and the next requests are served. */
TEST_IMPL(host_stateless_everywhere_and_exceptions) {
  served_t s;
  serve(&s,
        "flx main\n"
        ">> work\n"
        "  require('http').createServer(>> work).listen(Number(process.env.PORT));\n"
        "\n"
        "flx work\n"
        "-> null\n"
        "  function work(req, res) {\n"
        "    if (req.url === '/throw') throw new Error('boom');\n"
        "    let x = 0;\n"
        "    for (let i = 0; i < 20000; i++) x += i % 7;\n"
        "    res.setHeader('Content-Type', 'text/plain');\n"
        "    res.end(req.method + ' ' + req.url + ' ' + x);\n"
        "  }\n",
        2);
  char *r = NULL;
  int fds[16];
  for (int round = 0; round < 20; round++) {
    for (int i = 0; i < 16; i++) {
      fds[i] = tcp_connect(s.port);
      const char *get = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";
      tcp_send(fds[i], get, strlen(get));
    }
    for (int i = 0; i < 16; i++) {
      r = http_recv_response(fds[i], 10000);
      ASSERT_CONTAINS(r, "HTTP/1.1 200 OK");
      ASSERT_CONTAINS(r, "Content-Type: text/plain");
      ASSERT_CONTAINS(r, "GET /x 59997");
      free(r);
      close(fds[i]);
    }
  }
  int fd = tcp_connect(s.port);
  const char *bad = "GET /throw HTTP/1.1\r\nHost: t\r\n\r\n";
  tcp_send(fd, bad, strlen(bad));
  r = http_recv_response(fd, 10000);
  ASSERT_CONTAINS(r, "HTTP/1.1 500");
  free(r);
  const char *again = "GET /again HTTP/1.1\r\nHost: t\r\n\r\n";
  tcp_send(fd, again, strlen(again));
  r = http_recv_response(fd, 10000);
  ASSERT_CONTAINS(r, "GET /again");
  free(r);
  close(fd);
  flx_fluxion_t *work = flx_fluxion_find(s.host->rt, "work");
  bg_stop(s.bg);
  ASSERT_INT(flx_fluxion_messages(work, 0), >, 0);   /* stateless: both workers */
  ASSERT_INT(flx_fluxion_messages(work, 1), >, 0);
  flx_js_host_free(s.host);
  return 0;
}

/* Seed 000's Figure 5 by hand: a in add's context, b streamed from onReq, c
 * shared by add and end (one group, one scope). Whatever the interleaving of
 * concurrent requests, a only grows, so each answer's c (an earlier a) is
 * new: no update was lost or seen twice. */
TEST_IMPL(host_figure5_shared_state) {
  enum { REQUESTS = 400, CONNS = 16 };
  served_t s;
  serve(&s,
        MAIN_SERVING_ON_REQ
        "flx onReq\n"
        "-> add [b, res]\n"
        "  function onReq(req, res) {\n"
        "    var b = Number(req.url.slice(1));\n"
        "    setTimeout(-> add, 0, 1);\n"
        "  }\n"
        "\n"
        "flx add & grp_c {a = 0, c = 0}\n"
        "-> end [res]\n"
        "  function add(v) {\n"
        "    a += b + v + c % 2;\n"
        "    setTimeout(-> end, 0, a);\n"
        "  }\n"
        "\n"
        "flx end & grp_c {c = 0}\n"
        "-> null\n"
        "  function end(updt) {\n"
        "    c = updt;\n"
        "    res.end(String(c));\n"
        "  }\n",
        2);
  long *got = calloc(REQUESTS, sizeof *got);
  int fds[CONNS], k = 0;
  for (int i = 0; i < CONNS; i++)
    fds[i] = tcp_connect(s.port);
  for (int round = 0; round < REQUESTS / CONNS; round++) {
    for (int i = 0; i < CONNS; i++)
      tcp_send(fds[i], "GET /1 HTTP/1.1\r\nHost: t\r\n\r\n", 28);
    for (int i = 0; i < CONNS; i++) {
      char *r = http_recv_response(fds[i], 10000);
      const char *body = strstr(r, "\r\n\r\n");
      ASSERT(body != NULL);
      got[k++] = strtol(body + 4, NULL, 10);
      free(r);
    }
  }
  for (int i = 0; i < CONNS; i++)
    close(fds[i]);
  unserve(&s);
  for (int i = 0; i < k; i++) {
    ASSERT_INT(got[i], >=, 2);
    for (int j = 0; j < i; j++)
      if (got[i] == got[j])
        FAIL("c = %ld answered twice", got[i]);
  }
  free(got);
  return 0;
}

/* A group's scope is made once, on its home worker, after main has run:
 * main's effects before it are seen there, and a variable shared by two of
 * its fluxions gets its value (a side effect here: a line in a file) once. */
TEST_IMPL(host_group_made_once_after_main) {
  char file[] = "/tmp/flx-test-group-XXXXXX", program[1024];
  int fd = mkstemp(file);
  ASSERT_INT(fd, >=, 0);
  close(fd);
  setenv("FLX_TEST_FILE", file, 1);
  snprintf(program, sizeof program,
           "flx main\n"
           ">> onReq\n"
           "  require('fs').writeFileSync(process.env.FLX_TEST_FILE, 'main');\n"
           "  require('http').createServer(>> onReq).listen(Number(process.env.PORT));\n"
           "\n"
           "flx onReq & grp_log {log = (require('fs').appendFileSync(process.env.FLX_TEST_FILE, ' made'), 1)}\n"
           "-> again\n"
           "  function onReq(req, res) {\n"
           "    setTimeout(-> again, 0, res);\n"
           "  }\n"
           "\n"
           "flx again & grp_log {log = (require('fs').appendFileSync(process.env.FLX_TEST_FILE, ' made'), 1)}\n"
           "-> null\n"
           "  function again(res) {\n"
           "    res.end(require('fs').readFileSync(process.env.FLX_TEST_FILE, 'utf8') + ' ' + log++);\n"
           "  }\n");
  served_t s;
  serve(&s, program, 2);
  int conn = tcp_connect(s.port);
  for (int i = 1; i <= 3; i++) {
    tcp_send(conn, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 27);
    char *r = http_recv_response(conn, 10000), want[64];
    snprintf(want, sizeof want, "\r\n\r\nmain made %d", i);
    ASSERT_CONTAINS(r, want);
    free(r);
  }
  close(conn);
  unserve(&s);
  unlink(file);
  return 0;
}

/* app compiled as `flx run` does, from a file made at path (a mkstemp
 * template; the caller unlinks it): the .flx text, which the caller frees. */
static char *compile_app(const char *app, char *path) {
  int fd = mkstemp(path);
  ASSERT(write(fd, app, strlen(app)) == (ssize_t)strlen(app));
  close(fd);
  flxc_unit_t unit;
  flxl_error_t e;
  ASSERT_OK(flxc_parse_app(path, &unit, &e));
  flxc_scopes_t *scopes = flxc_scope_analyze(&unit);
  flxc_analysis_t analysis;
  flxc_analyze(&unit, scopes, NULL, &analysis);
  flxc_pipeline_t pipeline;
  flxc_pipeline(&unit, scopes, &analysis, &pipeline);
  flxl_program_t prog;
  flxc_emit_flx(&pipeline, &prog);
  char *program = flxl_print(&prog);
  flxl_program_free(&prog);
  flxc_pipeline_free(&pipeline);
  flxc_analysis_free(&analysis);
  flxc_scope_free(scopes);
  flxc_unit_free(&unit);
  return program;
}

/* The compiler and the host together: a Node.js program (seed 000's Listing
 * 1, on the http module) compiled in memory and run on two workers. */
TEST_IMPL(host_runs_what_the_compiler_made) {
  static const char app[] =
      "var http = require('http'),\n"
      "    fs = require('fs'),\n"
      "    count = 0;\n"
      "http.createServer(function handler(req, res) {\n"
      "  fs.readFile(__filename, function reply(err, data) {\n"
      "    count += 1;\n"
      "    res.end(err ? err.code : count + ' ' + data.length);\n"
      "  });\n"
      "}).listen(Number(process.env.PORT));\n";
  char path[] = "/tmp/flx-app-XXXXXX";
  char *program = compile_app(app, path);

  served_t s;
  serve(&s, program, 2);
  char want[64];
  for (int i = 1; i <= 50; i++) {
    int c = tcp_connect(s.port);
    tcp_send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 28);
    char *r = http_recv_response(c, 10000);
    snprintf(want, sizeof want, "\r\n\r\n%d %zu", i, sizeof app - 1);   /* __filename: app's */
    ASSERT_CONTAINS(r, want);
    free(r);
    close(c);
  }
  unserve(&s);
  free(program);
  unlink(path);
  return 0;
}

/* A message to a group whose home is the sender's worker is passed by
 * reference, but what could not be copied to another worker is refused there
 * too: the program fails the same wherever its group lives. Requests come
 * in on both workers, and the group lives on one of them. */
TEST_IMPL(host_refuses_a_function_wherever_the_group_lives) {
  served_t s;
  serve(&s,
        MAIN_SERVING_ON_REQ
        "flx onReq\n"
        "-> keep [res, fn]\n"
        "  function onReq(req, res) {\n"
        "    var fn = function () {};\n"
        "    try {\n"
        "      (-> keep)();\n"
        "    } catch (e) {\n"
        "      res.end(e.message);\n"
        "    }\n"
        "  }\n"
        "\n"
        "flx keep & grp {n = 0}\n"
        "-> null\n"
        "  function keep() {\n"
        "    n++;\n"
        "    res.end('kept ' + n);\n"
        "  }\n",
        2);
  /* Until both workers took some (the second may start accepting later). */
  flx_fluxion_t *on_req = flx_fluxion_find(s.host->rt, "onReq");
  for (int i = 0; i < 40 || (i < 4000 && (flx_fluxion_messages(on_req, 0) == 0 ||
                                          flx_fluxion_messages(on_req, 1) == 0)); i++) {
    int c = tcp_connect(s.port);
    tcp_send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", 27);
    char *r = http_recv_response(c, 10000);
    ASSERT_CONTAINS(r, "\r\n\r\nfluxion onReq: the message to keep[1][1] is a function, "
                       "which cannot cross to another worker");
    free(r);
    close(c);
  }
  bg_stop(s.bg);
  ASSERT_INT(flx_fluxion_messages(on_req, 0), >, 0);   /* from the group's worker */
  ASSERT_INT(flx_fluxion_messages(on_req, 1), >, 0);   /* and from the other */
  flx_js_host_free(s.host);
  return 0;
}

/* An exception in a callback that has the response only in a closure (a
 * view engine's file read calling back the render): the request is answered
 * 500 when that message is done, not whenever the cycle collector next runs,
 * and the server goes on. */
TEST_IMPL(host_exception_in_a_continuation_answers_500) {
  served_t s;
  serve(&s,
        MAIN_SERVING_ON_REQ
        "flx onReq\n"
        "-> reply [done]\n"
        "  function onReq(req, res) {\n"
        "    var done = function (text) { res.end(text); };\n"
        "    req.res = res;\n"
        "    res.req = req;\n"
        "    setTimeout(-> reply, 0, req.url);\n"
        "  }\n"
        "\n"
        "flx reply\n"
        "-> null\n"
        "  function reply(url) {\n"
        "    if (url === '/throw') throw new Error('boom');\n"
        "    done('fine ' + url);\n"
        "  }\n",
        2);
  int fd = tcp_connect(s.port);
  for (int i = 0; i < 6; i++) {
    const char *get = i % 2 ? "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"
                            : "GET /throw HTTP/1.1\r\nHost: t\r\n\r\n";
    tcp_send(fd, get, strlen(get));
    char *r = http_recv_response(fd, 10000);
    ASSERT_CONTAINS(r, i % 2 ? "\r\n\r\nfine /ok" : "HTTP/1.1 500");
    free(r);
  }
  close(fd);
  unserve(&s);
  return 0;
}

/* Waits until n sockets listen on port, on every address as node's listen
 * does, IPv6's or IPv4's (each worker listens on its own, and one may start
 * after the first accepts): read from the kernel's tables, /proc/net/tcp6
 * and /proc/net/tcp. */
static void wait_listening(int port, int n) {
  char any6[48], any4[16];
  snprintf(any6, sizeof any6, "00000000000000000000000000000000:%04X", port);
  snprintf(any4, sizeof any4, "00000000:%04X", port);
  for (int tries = 0; tries < 500; tries++) {
    int found = 0;
    for (int t = 0; t < 2; t++) {
      FILE *f = fopen(t ? "/proc/net/tcp" : "/proc/net/tcp6", "r");
      char line[512], local[64], state[8];
      while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%*s %63s %*s %7s", local, state) == 2 && strcmp(state, "0A") == 0 &&
            strcmp(local, t ? any4 : any6) == 0)
          found++;
      if (f)
        fclose(f);
    }
    if (found >= n)
      return;
    sleep_ms(10);
  }
  FAIL("the workers never all listened");
}

/* A grouped Express handler takes requests from both workers: each that
 * crosses leaves call backs (its next) in the sender's remote table, which
 * sweeps must keep small however many requests go by. */
TEST_IMPL(host_remote_table_stays_small) {
  static const char app[] =
      "var express = require('express');\n"
      "var app = express(), count = 0;\n"
      "app.get('/', function (req, res) { res.send('n' + ++count); });\n"   /* whole, in its group */
      "app.listen(Number(process.env.PORT));\n";
  enum { CONNS = 16, ROUNDS = 100 };
  char path[] = "/tmp/flx-app-XXXXXX";
  char *program = compile_app(app, path);
  served_t s;
  serve(&s, program, 2);
  wait_listening(s.port, 2);
  int fds[CONNS];
  for (int c = 0; c < CONNS; c++)
    fds[c] = tcp_connect(s.port);
  static const char get[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
  for (int r = 0; r < ROUNDS; r++) {
    for (int c = 0; c < CONNS; c++)
      tcp_send(fds[c], get, sizeof get - 1);
    for (int c = 0; c < CONNS; c++) {
      char *resp = http_recv_response(fds[c], 10000);
      ASSERT_CONTAINS(resp, "\r\n\r\nn");
      free(resp);
    }
  }
  for (int c = 0; c < CONNS; c++)
    close(fds[c]);
  bg_stop(s.bg);
  uint64_t sweeps = 0, kept = 0;
  for (int i = 0; i < 2; i++) {
    sweeps += s.host->workers[i].remote_sweeps;
    if (s.host->workers[i].remote_kept_max > kept)
      kept = s.host->workers[i].remote_kept_max;
  }
  fprintf(stderr, "remote table: %llu sweeps, at most %llu entries kept\n",
          (unsigned long long)sweeps, (unsigned long long)kept);
  ASSERT(sweeps >= 1);
  ASSERT(kept <= 2 * CONNS);
  flx_js_host_free(s.host);
  free(program);
  unlink(path);
  return 0;
}
