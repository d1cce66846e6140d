/* test-tcp.c — connections accepted by every worker, written and closed from
 * any worker, and backpressure that loses nothing. */
#include "test.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdatomic.h>
#include <unistd.h>

static void resume(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx;
  ASSERT_OK(flx_tcp_set_reading(msg->ref, 1));
}

/* Echoes each chunk from whichever worker runs the message; "bye" closes;
 * "pause" stops reading for 200 ms. */
static void echo(flx_ctx_t *ctx, flx_msg_t *msg) {
  if (strncmp(msg->data, "bye", 3) == 0) {
    flx_tcp_close(msg->ref);
    return;
  }
  if (strncmp(msg->data, "pause", 5) == 0) {
    flx_tcp_t *conn = msg->ref;
    ASSERT_OK(flx_tcp_set_reading(conn, 0));
    flx_tcp_ref(conn);
    ASSERT_OK(flx_timer_start(flx_ctx_runtime(ctx),
                              &(flx_timer_options_t){
                                  .to = flx_fluxion_find(flx_ctx_runtime(ctx), "resume"),
                                  .timeout_ms = 200, .ref = conn, .release = flx_tcp_unref},
                              NULL));
  }
  ASSERT_OK(flx_tcp_write(msg->ref, msg->data, msg->len));
}

TEST_IMPL(tcp_echo_any_worker) {
  flx_runtime_t *rt;
  flx_fluxion_t *f;
  flx_listener_t *l;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2}));
  ASSERT_OK(flx_fluxion_new(rt, "echo", echo, NULL, &f));
  ASSERT_OK(flx_fluxion_new(rt, "resume", resume, NULL, NULL));
  ASSERT_OK(flx_tcp_listen(rt, &(flx_tcp_options_t){.to = f}, &l));
  bg_runtime_t *bg = bg_start(rt);
  int fds[8];
  for (int i = 0; i < 8; i++)
    fds[i] = tcp_connect(flx_listener_port(l));
  for (int round = 0; round < 50; round++) {
    for (int i = 0; i < 8; i++) {
      char msg[32];
      snprintf(msg, sizeof msg, "ping %d.%d;", i, round);
      tcp_send(fds[i], msg, strlen(msg));
      char *got = tcp_recv_until(fds[i], ";", 5000, NULL);
      ASSERT_STR_EQ(got, msg);
      free(got);
    }
  }
  /* Paused, the connection reads nothing until the timer resumes it. */
  tcp_send(fds[0], "pause;", 6);
  free(tcp_recv_until(fds[0], ";", 5000, NULL));
  sleep_ms(20);
  tcp_send(fds[0], "late;", 5);
  size_t n;
  char *none = tcp_recv_until(fds[0], ";", 100, &n);
  ASSERT_EQ(n, 0);
  free(none);
  char *late = tcp_recv_until(fds[0], ";", 5000, NULL);
  ASSERT_STR_EQ(late, "late;");
  free(late);
  for (int i = 0; i < 8; i++) {
    tcp_send(fds[i], "bye", 3);
    free(tcp_recv_all(fds[i], 5000, &n));   /* the server closes */
    ASSERT_EQ(n, 0);
    close(fds[i]);
  }
  bg_stop(bg);
  flx_worker_stats_t s0, s1;
  flx_worker_stats(rt, 0, &s0);
  flx_worker_stats(rt, 1, &s1);
  ASSERT_EQ(s0.messages + s1.messages, 8 * 50 + 8 + 3);   /* pause, resume, late */
  flx_runtime_free(rt);
  return 0;
}

enum { FLOOD = 8 << 20 };

/* On "go", writes FLOOD bytes in 64 KiB pieces to a client that is not
 * reading yet: the connection's write queue passes its high-water mark. */
static void flood(flx_ctx_t *ctx, flx_msg_t *msg) {
  enum { BLOCK = 65536 };
  char *block = malloc(BLOCK);
  (void)ctx;
  for (size_t i = 0; i < BLOCK; i++)
    block[i] = (char)('a' + i % 26);
  for (size_t sent = 0; sent < FLOOD; sent += BLOCK)
    ASSERT_OK(flx_tcp_write(msg->ref, block, BLOCK));
  flx_tcp_close(msg->ref);
  free(block);
}

TEST_IMPL(tcp_backpressure_keeps_every_byte) {
  flx_runtime_t *rt;
  flx_fluxion_t *f;
  flx_listener_t *l;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2}));
  ASSERT_OK(flx_fluxion_new(rt, "flood", flood, NULL, &f));
  ASSERT_OK(flx_tcp_listen(rt, &(flx_tcp_options_t){.to = f, .write_high_water = 256 << 10}, &l));
  bg_runtime_t *bg = bg_start(rt);
  int fd = tcp_connect(flx_listener_port(l));
  tcp_send(fd, "go", 2);
  sleep_ms(200);
  size_t n;
  char *all = tcp_recv_all(fd, 20000, &n);
  ASSERT_EQ(n, FLOOD);
  for (size_t i = 0; i < n; i += 4099)
    ASSERT_EQ(all[i], 'a' + (i % 65536) % 26);
  free(all);
  close(fd);
  bg_stop(bg);
  flx_runtime_free(rt);
  return 0;
}

static void nop(flx_ctx_t *ctx, flx_msg_t *msg) { (void)ctx; (void)msg; }

TEST_IMPL(tcp_listen_port_in_use) {
  flx_runtime_t *a, *b;
  flx_fluxion_t *fa, *fb;
  flx_listener_t *la, *lb;
  ASSERT_OK(flx_runtime_new(&a, &(flx_options_t){.workers = 1}));
  ASSERT_OK(flx_runtime_new(&b, &(flx_options_t){.workers = 1}));
  ASSERT_OK(flx_fluxion_new(a, "f", nop, NULL, &fa));
  ASSERT_OK(flx_fluxion_new(b, "f", nop, NULL, &fb));
  /* A plain socket on the port, without SO_REUSEPORT, keeps others off it. */
  ASSERT_OK(flx_tcp_listen(a, &(flx_tcp_options_t){.to = fa}, &la));
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET};
  ASSERT_OK(bind(s, (struct sockaddr *)&addr, sizeof addr));
  socklen_t alen = sizeof addr;
  getsockname(s, (struct sockaddr *)&addr, &alen);
  ASSERT_OK(listen(s, 1));
  ASSERT_EQ(flx_tcp_listen(b, &(flx_tcp_options_t){.host = "0.0.0.0",
                                                   .port = ntohs(addr.sin_port), .to = fb}, &lb),
            FLX_EADDRINUSE);
  ASSERT_EQ(flx_tcp_listen(b, &(flx_tcp_options_t){.host = "not an address", .to = fb}, &lb),
            FLX_EINVAL);
  close(s);
  flx_runtime_free(a);
  flx_runtime_free(b);
  return 0;
}

static atomic_int opened_port;

/* Listens from inside a handler, on a worker, while the runtime runs. */
static void open_listener(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  flx_listener_t *l;
  flx_runtime_t *rt = flx_ctx_runtime(ctx);
  ASSERT_OK(flx_tcp_listen(rt, &(flx_tcp_options_t){.to = flx_fluxion_find(rt, "echo")}, &l));
  atomic_store(&opened_port, flx_listener_port(l));
}

TEST_IMPL(tcp_listen_from_a_handler) {
  flx_runtime_t *rt;
  flx_fluxion_t *open_f;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2}));
  ASSERT_OK(flx_fluxion_new(rt, "echo", echo, NULL, NULL));
  ASSERT_OK(flx_fluxion_new(rt, "resume", resume, NULL, NULL));
  ASSERT_OK(flx_fluxion_new(rt, "open", open_listener, NULL, &open_f));
  bg_runtime_t *bg = bg_start(rt);
  ASSERT_OK(flx_start(rt, open_f, NULL, 0));
  while (atomic_load(&opened_port) == 0)
    sleep_ms(1);
  for (int i = 0; i < 20; i++) {   /* connections land on both workers */
    int fd = tcp_connect(atomic_load(&opened_port));
    tcp_send(fd, "hi;", 3);
    char *got = tcp_recv_until(fd, ";", 5000, NULL);
    ASSERT_STR_EQ(got, "hi;");
    free(got);
    close(fd);
  }
  bg_stop(bg);
  flx_runtime_free(rt);
  return 0;
}
