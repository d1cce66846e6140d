/* test-http.c — the HTTP/1.1 server seen from a client socket: keep-alive,
 * pipelining, chunked bodies, limits, errors, streaming, and stopping. */
#include "test.h"

#include <unistd.h>

typedef struct server_s {
  flx_runtime_t *rt;
  flx_http_server_t *srv;
  bg_runtime_t *bg;
  int port;
} server_t;

static void hello(flx_ctx_t *ctx, flx_msg_t *msg) {
  char body[256];
  flx_http_req_t *req = msg->ref;
  (void)ctx;
  int n = snprintf(body, sizeof body, "hello %s q=%s ua=%s", flx_http_req_param(req, "name"),
                   flx_http_req_query(req), flx_http_req_header(req, "USER-AGENT"));
  flx_http_header_t h = {"Content-Type", "text/plain"};
  ASSERT_EQ(flx_http_req_answered(req), 0);
  ASSERT_OK(flx_http_respond(req, 200, &h, 1, body, (size_t)n));
  ASSERT_EQ(flx_http_req_answered(req), 2);
  ASSERT_EQ(flx_http_respond(req, 200, NULL, 0, NULL, 0), FLX_EALREADY);
}

static void echo_body(flx_ctx_t *ctx, flx_msg_t *msg) {
  size_t len;
  (void)ctx;
  const char *body = flx_http_req_body(msg->ref, &len);
  ASSERT_OK(flx_http_respond(msg->ref, 200, NULL, 0, body, len));
}

static void slow_done(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx;
  flx_http_respond(msg->ref, 200, NULL, 0, "slow", 4);
}

/* Answers 50 ms later, from a timer's message, which carries the request. */
static void slow(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_http_req_t *req = msg->ref;
  flx_http_req_ref(req);
  ASSERT_OK(flx_timer_start(flx_ctx_runtime(ctx),
                            &(flx_timer_options_t){
                                .to = flx_fluxion_find(flx_ctx_runtime(ctx), "slow_done"),
                                .timeout_ms = 50, .ref = req, .release = flx_http_req_unref},
                            NULL));
}

static void stream(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx;
  ASSERT_OK(flx_http_write_head(msg->ref, 200, NULL, 0));
  ASSERT_EQ(flx_http_req_answered(msg->ref), 1);
  ASSERT_OK(flx_http_write(msg->ref, "one,", 4));
  ASSERT_OK(flx_http_write(msg->ref, "two,", 4));
  ASSERT_OK(flx_http_write(msg->ref, "three", 5));
  ASSERT_OK(flx_http_end(msg->ref));
  ASSERT_EQ(flx_http_req_answered(msg->ref), 2);
  ASSERT_EQ(flx_http_write(msg->ref, "x", 1), FLX_EALREADY);
}

static void big(flx_ctx_t *ctx, flx_msg_t *msg) {
  enum { CHUNK = 65536 };
  char *chunk = malloc(CHUNK);
  (void)ctx;
  memset(chunk, 'z', CHUNK);
  ASSERT_OK(flx_http_write_head(msg->ref, 200, NULL, 0));
  for (int i = 0; i < 200; i++)
    flx_http_write(msg->ref, chunk, CHUNK);
  flx_http_end(msg->ref);
  free(chunk);
}

static void silent(flx_ctx_t *ctx, flx_msg_t *msg) { (void)ctx; (void)msg; }

/* Answers /status/CODE, with the reason phrase the query gives, if any. */
static void status_line(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_http_req_t *req = msg->ref;
  const char *q = flx_http_req_query(req);
  (void)ctx;
  ASSERT_EQ(flx_http_set_reason(req, "two\r\nlines"), FLX_EINVAL);
  if (q && *q)
    ASSERT_OK(flx_http_set_reason(req, q));
  ASSERT_OK(flx_http_respond(req, atoi(flx_http_req_param(req, "code")), NULL, 0, "s", 1));
  ASSERT_EQ(flx_http_set_reason(req, "late"), FLX_EALREADY);
}

static void start_server(server_t *s, const flx_http_options_t *opts) {
  static const struct { const char *name; flx_handler_cb fn; const char *method, *path; } routes[] = {
    {"hello", hello, "GET", "/hello/:name"},
    {"echo", echo_body, "POST", "/echo"},
    {"slow", slow, "GET", "/slow/*"},
    {"stream", stream, "GET", "/stream"},
    {"big", big, "GET", "/big"},
    {"silent", silent, "*", "/silent"},
    {"status_line", status_line, "GET", "/status/:code"},
  };
  flx_fluxion_t *f;
  ASSERT_OK(flx_runtime_new(&s->rt, &(flx_options_t){.workers = 2, .stop_timeout_ms = 3000}));
  ASSERT_OK(flx_http_server_new(s->rt, opts, &s->srv));
  ASSERT_OK(flx_fluxion_new(s->rt, "slow_done", slow_done, NULL, NULL));
  for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
    ASSERT_OK(flx_fluxion_new(s->rt, routes[i].name, routes[i].fn, NULL, &f));
    ASSERT_OK(flx_http_route(s->srv, routes[i].method, routes[i].path, f, FLX_WRITE));
  }
  ASSERT_OK(flx_http_listen(s->srv, "127.0.0.1", 0));
  ASSERT_EQ(flx_http_route(s->srv, "GET", "/late", f, FLX_WRITE), FLX_EBUSY);
  s->port = flx_http_port(s->srv);
  ASSERT_INT(s->port, >, 0);
  s->bg = bg_start(s->rt);
}

static void stop_server(server_t *s) {
  bg_stop(s->bg);
  flx_runtime_free(s->rt);
}

/* One request on a fresh connection; returns the whole response. */
static char *request(server_t *s, const char *raw) {
  int fd = tcp_connect(s->port);
  tcp_send(fd, raw, strlen(raw));
  char *r = http_recv_response(fd, 5000);
  close(fd);
  return r;
}

TEST_IMPL(http_keepalive_and_params) {
  server_t s;
  start_server(&s, NULL);
  int fd = tcp_connect(s.port);
  for (int i = 0; i < 3; i++) {
    const char *req = "GET /hello/w%C3%B6rld?x=1&y=2 HTTP/1.1\r\nHost: t\r\nUser-Agent: tester\r\n\r\n";
    tcp_send(fd, req, strlen(req));
    char *r = http_recv_response(fd, 5000);
    ASSERT_CONTAINS(r, "HTTP/1.1 200 OK\r\n");
    ASSERT_CONTAINS(r, "Connection: keep-alive\r\n");
    ASSERT_CONTAINS(r, "Content-Type: text/plain\r\n");
    ASSERT_CONTAINS(r, "Date: ");
    ASSERT_CONTAINS(r, "\r\n\r\nhello w\xc3\xb6rld q=x=1&y=2 ua=tester");
    free(r);
  }
  close(fd);
  stop_server(&s);
  return 0;
}

/* Status lines as Node writes them: its reason phrases, "unknown" for a code
 * it has none for, the app's own when it sets one; and a keep-alive answer
 * says how long the connection may stay idle (Keep-Alive: timeout=5). */
TEST_IMPL(http_status_lines_as_node) {
  static const struct { const char *path, *line; } cases[] = {
    {"/status/418", "HTTP/1.1 418 I'm a Teapot\r\n"},
    {"/status/425", "HTTP/1.1 425 Too Early\r\n"},
    {"/status/299", "HTTP/1.1 299 unknown\r\n"},
    {"/status/201?Made-It", "HTTP/1.1 201 Made-It\r\n"},
  };
  server_t s;
  start_server(&s, NULL);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char raw[128];
    snprintf(raw, sizeof raw, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", cases[i].path);
    char *r = request(&s, raw);
    ASSERT(strncmp(r, cases[i].line, strlen(cases[i].line)) == 0);
    ASSERT_CONTAINS(r, "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n");
    free(r);
  }
  char *r = request(&s, "GET /status/200 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_CONTAINS(r, "Connection: close\r\n");
  ASSERT(strstr(r, "Keep-Alive") == NULL);
  free(r);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_pipelined_answers_in_order) {
  server_t s;
  start_server(&s, NULL);
  int fd = tcp_connect(s.port);
  /* The slow ones answer 50 ms late, from a timer; order must hold. */
  char all[4096] = "";
  for (int i = 0; i < 6; i++) {
    char one[128];
    if (i % 2 == 0)
      snprintf(one, sizeof one, "GET /slow/%d HTTP/1.1\r\nHost: t\r\n\r\n", i);
    else
      snprintf(one, sizeof one, "GET /hello/n%d HTTP/1.1\r\nHost: t\r\n\r\n", i);
    strcat(all, one);
  }
  tcp_send(fd, all, strlen(all));
  char *r = tcp_recv_until(fd, "hello n5", 5000, NULL);
  ASSERT_EQ(count_of(r, "HTTP/1.1 200 OK"), 6);
  const char *p = r;
  for (int i = 0; i < 6; i++) {
    char want[32];
    if (i % 2 == 0)
      snprintf(want, sizeof want, "\r\n\r\nslow");
    else
      snprintf(want, sizeof want, "hello n%d", i);
    const char *at = strstr(p, want);
    if (at == NULL)
      FAIL("answer %d (%s) missing or out of order in:\n%s", i, want, r);
    p = at + strlen(want);
  }
  free(r);
  close(fd);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_chunked_request_body) {
  server_t s;
  start_server(&s, NULL);
  char *r = request(&s, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
  ASSERT_CONTAINS(r, "HTTP/1.1 200 OK");
  ASSERT_CONTAINS(r, "Content-Length: 12\r\n");
  ASSERT_CONTAINS(r, "\r\n\r\nhello, world");
  free(r);
  r = request(&s, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_CONTAINS(r, "\r\n\r\nabc");
  free(r);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_streamed_response) {
  server_t s;
  start_server(&s, NULL);
  char *r = request(&s, "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_CONTAINS(r, "Transfer-Encoding: chunked\r\n");
  ASSERT_CONTAINS(r, "\r\n\r\n4\r\none,\r\n4\r\ntwo,\r\n5\r\nthree\r\n0\r\n\r\n");
  free(r);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_malformed_is_400_and_server_goes_on) {
  server_t s;
  start_server(&s, NULL);
  int fd = tcp_connect(s.port);
  const char *bad = "GET /hello/a HTTP/1.1\r\nHost: t\r\n\r\nBLAH\x01 / HTTP/9\r\n\r\n";
  tcp_send(fd, bad, strlen(bad));
  size_t n;
  char *r = tcp_recv_all(fd, 5000, &n);   /* answers, then the server closes */
  ASSERT_CONTAINS(r, "HTTP/1.1 200 OK");
  ASSERT_CONTAINS(r, "HTTP/1.1 400 Bad Request");
  ASSERT(strstr(r, "200 OK") < strstr(r, "400 Bad"));
  ASSERT_CONTAINS(strstr(r, "400 Bad"), "Connection: close");
  free(r);
  close(fd);
  r = request(&s, "GET /hello/again HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_CONTAINS(r, "hello again");
  free(r);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_slow_request_is_408) {
  server_t s;
  start_server(&s, &(flx_http_options_t){.request_timeout_ms = 200});
  int fd = tcp_connect(s.port);
  const char *partial = "GET /hello/a HTTP/1.1\r\nHost: t\r\n";
  tcp_send(fd, partial, strlen(partial));
  size_t n;
  char *r = tcp_recv_all(fd, 5000, &n);
  ASSERT_CONTAINS(r, "HTTP/1.1 408 Request Timeout");
  free(r);
  close(fd);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_large_body_is_413) {
  server_t s;
  start_server(&s, &(flx_http_options_t){.max_body_bytes = 1000});
  char *r = request(&s, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n");
  ASSERT_CONTAINS(r, "HTTP/1.1 413 Payload Too Large");
  free(r);
  /* A chunked body gives no length up front: refused when it passes the limit. */
  int fd = tcp_connect(s.port);
  const char *head = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  tcp_send(fd, head, strlen(head));
  char chunk[700];
  memset(chunk, 'b', sizeof chunk);
  for (int i = 0; i < 2; i++) {
    tcp_send(fd, "2bc\r\n", 5);
    tcp_send(fd, chunk, sizeof chunk);
    tcp_send(fd, "\r\n", 2);
  }
  size_t n;
  r = tcp_recv_all(fd, 5000, &n);
  ASSERT_CONTAINS(r, "HTTP/1.1 413 Payload Too Large");
  free(r);
  close(fd);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_large_header_is_431) {
  server_t s;
  start_server(&s, &(flx_http_options_t){.max_header_bytes = 1024});
  char raw[4096];
  char pad[2048];
  memset(pad, 'p', sizeof pad - 1);
  pad[sizeof pad - 1] = '\0';
  snprintf(raw, sizeof raw, "GET /hello/a HTTP/1.1\r\nHost: t\r\nX-Pad: %s\r\n\r\n", pad);
  char *r = request(&s, raw);
  ASSERT_CONTAINS(r, "HTTP/1.1 431 Request Header Fields Too Large");
  free(r);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_unanswered_is_500) {
  server_t s;
  start_server(&s, NULL);
  char *r = request(&s, "DELETE /silent HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_CONTAINS(r, "HTTP/1.1 500 Internal Server Error");
  free(r);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_not_found_and_head) {
  server_t s;
  start_server(&s, NULL);
  char *r = request(&s, "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_CONTAINS(r, "HTTP/1.1 404 Not Found");
  free(r);
  r = request(&s, "PUT /hello/x HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
  ASSERT_CONTAINS(r, "HTTP/1.1 404 Not Found");   /* the route is GET only */
  free(r);
  int fd = tcp_connect(s.port);
  const char *head = "HEAD /hello/x HTTP/1.1\r\nHost: t\r\n\r\nGET /hello/y HTTP/1.1\r\nHost: t\r\n\r\n";
  tcp_send(fd, head, strlen(head));
  r = tcp_recv_until(fd, "hello y", 5000, NULL);
  ASSERT_EQ(count_of(r, "HTTP/1.1 200 OK"), 2);
  ASSERT(strstr(r, "hello x") == NULL);   /* HEAD: length, but no body */
  free(r);
  close(fd);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_client_vanishes_mid_response) {
  server_t s;
  start_server(&s, NULL);
  for (int i = 0; i < 5; i++) {
    int fd = tcp_connect(s.port);
    const char *req = "GET /big HTTP/1.1\r\nHost: t\r\n\r\n";
    tcp_send(fd, req, strlen(req));
    free(tcp_recv_until(fd, "zzzz", 5000, NULL));
    close(fd);   /* 12 MiB still to come */
    fd = tcp_connect(s.port);
    req = "GET /slow/x HTTP/1.1\r\nHost: t\r\n\r\n";
    tcp_send(fd, req, strlen(req));
    close(fd);   /* gone before the answer exists */
  }
  sleep_ms(100);
  char *r = request(&s, "GET /hello/still HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_CONTAINS(r, "hello still");
  free(r);
  /* Stopped while an answer's timer is pending: the timer is dropped and the
   * request it holds released (LeakSanitizer would see it otherwise). */
  int fd = tcp_connect(s.port);
  const char *last = "GET /slow/last HTTP/1.1\r\nHost: t\r\n\r\n";
  tcp_send(fd, last, strlen(last));
  close(fd);
  sleep_ms(10);
  stop_server(&s);
  return 0;
}

TEST_IMPL(http_graceful_stop_finishes_requests) {
  server_t s;
  start_server(&s, NULL);
  int fd = tcp_connect(s.port);
  int idle = tcp_connect(s.port);
  const char *req = "GET /slow/1 HTTP/1.1\r\nHost: t\r\n\r\n";
  tcp_send(fd, req, strlen(req));
  sleep_ms(10);
  flx_runtime_stop(s.rt);   /* while the answer is 40 ms away */
  char *r = http_recv_response(fd, 5000);
  ASSERT_CONTAINS(r, "HTTP/1.1 200 OK");
  ASSERT_CONTAINS(r, "Connection: close");
  ASSERT_CONTAINS(r, "\r\n\r\nslow");
  free(r);
  size_t n;
  free(tcp_recv_all(idle, 5000, &n));   /* the idle connection is closed */
  ASSERT_EQ(n, 0);
  bg_wait(s.bg);
  flx_runtime_free(s.rt);
  close(fd);
  close(idle);
  return 0;
}

TEST_IMPL(http_connection_close_and_http10) {
  server_t s;
  start_server(&s, NULL);
  int fd = tcp_connect(s.port);
  const char *req = "GET /hello/c HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    "GET /hello/ignored HTTP/1.1\r\nHost: t\r\n\r\n";
  tcp_send(fd, req, strlen(req));
  size_t n;
  char *r = tcp_recv_all(fd, 5000, &n);
  ASSERT_CONTAINS(r, "Connection: close\r\n");
  ASSERT_CONTAINS(r, "hello c");
  ASSERT(strstr(r, "ignored") == NULL);
  free(r);
  close(fd);
  fd = tcp_connect(s.port);
  req = "GET /stream HTTP/1.0\r\n\r\n";
  tcp_send(fd, req, strlen(req));
  r = tcp_recv_all(fd, 5000, &n);   /* 1.0: no chunks; the close ends the body */
  ASSERT_CONTAINS(r, "HTTP/1.1 200 OK");
  ASSERT(strstr(r, "Transfer-Encoding") == NULL);
  ASSERT_CONTAINS(r, "\r\n\r\none,two,three");
  free(r);
  close(fd);
  stop_server(&s);
  return 0;
}
