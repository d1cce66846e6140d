/* test-idle.c — a runtime with exit_when_idle stops by itself once nothing is
 * left that could make work, and not before; closing an HTTP server. */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static bool refused(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bool no = connect(fd, (struct sockaddr *)&a, sizeof a) < 0;
  close(fd);
  return no;
}

/* ---- a chain of messages, then a timer, then the end ------------------- */

static atomic_int hops, after_timer;

static void hop(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_runtime_t *rt = flx_ctx_runtime(ctx);
  int left;
  memcpy(&left, msg->data, sizeof left);
  atomic_fetch_add(&hops, 1);
  if (--left > 0) {
    flx_send(rt, &(flx_send_t){.to = flx_fluxion_find(rt, "hop"), .kind = FLX_START,
                               .data = &left, .len = sizeof left});
    return;
  }
  /* The last hop leaves only a timer behind: the runtime must wait for it. */
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){
                                    .to = flx_fluxion_find(rt, "late"), .timeout_ms = 40},
                            NULL));
}

static void late(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx; (void)msg;
  atomic_fetch_add(&after_timer, 1);
}

TEST_IMPL(idle_runtime_stops_after_the_last_work) {
  flx_runtime_t *rt;
  flx_fluxion_t *f;
  int n = 2000;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2, .exit_when_idle = 1}));
  ASSERT_OK(flx_fluxion_new(rt, "hop", hop, NULL, &f));
  ASSERT_OK(flx_fluxion_new(rt, "late", late, NULL, NULL));
  /* Two chains, so both workers carry one. */
  ASSERT_OK(flx_start(rt, f, &n, sizeof n));
  ASSERT_OK(flx_start(rt, f, &n, sizeof n));
  ASSERT_OK(flx_runtime_run(rt));   /* returns by itself (the runner's alarm if not) */
  ASSERT_EQ(hops, 2 * n);
  ASSERT_EQ(after_timer, 2);
  flx_runtime_free(rt);
  return 0;
}

/* ---- an unreferenced timer does not keep it running ------------------- */

static atomic_int ticks;
static uint64_t ticker;

static void tick(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx; (void)msg;
  atomic_fetch_add(&ticks, 1);
}

static void start_ticker(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_runtime_t *rt = flx_ctx_runtime(ctx);
  (void)msg;
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){
                                    .to = flx_fluxion_find(rt, "tick"), .timeout_ms = 5,
                                    .repeat_ms = 5},
                            &ticker));
  /* Referenced for three ticks' time, through a one-shot timer... */
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){
                                    .to = flx_fluxion_find(rt, "unref"), .timeout_ms = 17},
                            NULL));
}

static void unref_ticker(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  /* ...then nothing holds the runtime: it stops though the ticker repeats. */
  ASSERT_OK(flx_timer_ref(flx_ctx_runtime(ctx), ticker, 0));
}

TEST_IMPL(idle_unreferenced_timer_lets_it_stop) {
  flx_runtime_t *rt;
  flx_fluxion_t *start;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2, .exit_when_idle = 1}));
  ASSERT_OK(flx_fluxion_new(rt, "start", start_ticker, NULL, &start));
  ASSERT_OK(flx_fluxion_new(rt, "tick", tick, NULL, NULL));
  ASSERT_OK(flx_fluxion_new(rt, "unref", unref_ticker, NULL, NULL));
  ASSERT_OK(flx_start(rt, start, NULL, 0));
  ASSERT_OK(flx_runtime_run(rt));
  ASSERT(ticks >= 2);
  ASSERT_EQ(flx_timer_ref(rt, 0, 0), FLX_EINVAL);
  flx_runtime_free(rt);
  return 0;
}

/* ---- a server keeps it running until closed ---------------------------- */

typedef struct close_test_s {
  flx_http_server_t *srv;
  atomic_int port;
  atomic_int answered;
} close_test_t;

static close_test_t closing;

/* Each request is answered; the one to /close also closes the server. */
static void serve_then_close(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx;
  flx_http_req_t *req = msg->ref;
  bool last = strcmp(flx_http_req_path(req), "/close") == 0;
  if (last) {
    ASSERT_OK(flx_http_close(closing.srv));
    ASSERT_EQ(flx_http_close(closing.srv), FLX_EALREADY);
  }
  ASSERT_OK(flx_http_respond(req, 200, NULL, 0, "ok", 2));
  atomic_fetch_add(&closing.answered, 1);
}

static void open_server(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_runtime_t *rt = flx_ctx_runtime(ctx);
  (void)msg;
  ASSERT_OK(flx_http_server_new(rt, NULL, &closing.srv));
  ASSERT_OK(flx_http_route(closing.srv, "*", "*", flx_fluxion_find(rt, "serve"), FLX_WRITE));
  ASSERT_OK(flx_http_listen(closing.srv, "127.0.0.1", 0));
  atomic_store(&closing.port, flx_http_port(closing.srv));
}

TEST_IMPL(idle_http_close_lets_it_stop) {
  flx_runtime_t *rt;
  flx_fluxion_t *open;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2, .exit_when_idle = 1}));
  ASSERT_OK(flx_fluxion_new(rt, "open", open_server, NULL, &open));
  ASSERT_OK(flx_fluxion_new(rt, "serve", serve_then_close, NULL, NULL));
  ASSERT_OK(flx_start(rt, open, NULL, 0));
  bg_runtime_t *bg = bg_start(rt);
  while (atomic_load(&closing.port) == 0)
    sleep_ms(1);
  int port = closing.port;

  /* A keep-alive connection that stays idle, and one that asks to close. */
  int idle = tcp_connect(port), fd = tcp_connect(port);
  const char get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  tcp_send(idle, get, sizeof get - 1);
  char *r = http_recv_response(idle, 2000);
  ASSERT(r && strstr(r, "Connection: keep-alive"));
  free(r);
  sleep_ms(50);   /* still running: it listens, and a connection is open */
  ASSERT_EQ(closing.answered, 1);

  const char bye[] = "GET /close HTTP/1.1\r\nHost: x\r\n\r\n";
  tcp_send(fd, bye, sizeof bye - 1);
  r = http_recv_response(fd, 2000);
  ASSERT(r && strstr(r, "200 OK") && strstr(r, "Connection: close"));
  free(r);
  close(fd);   /* else the server lingers for our EOF before it closes */
  /* The idle connection is closed by the server (EOF), and no new one is
   * accepted; then nothing is left and the runtime stops by itself. */
  size_t len;
  char *rest = tcp_recv_all(idle, 2000, &len);
  ASSERT_EQ(len, 0);
  free(rest);
  bg_wait(bg);
  ASSERT(refused(port));
  close(idle);
  ASSERT_EQ(closing.answered, 2);
  flx_runtime_free(rt);
  return 0;
}
