/* uv_server.c — the baseline: the same echo and counter servers as
 * flx_server, single-threaded on plain libuv, with nothing in between.
 *   uv_server echo|counter PORT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

typedef struct write_s {
  uv_write_t req;
  char data[];
} write_t;

static int counting;
static uint64_t value;
static char readbuf[65536];

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  (void)h; (void)hint;
  *buf = uv_buf_init(readbuf, sizeof readbuf);
}

static void on_written(uv_write_t *req, int status) {
  (void)status;
  free(req);
}

/* As flx_tcp_write does: straight to the socket, queued if it is full. */
static void send_bytes(uv_stream_t *s, const void *data, size_t len) {
  uv_buf_t b = uv_buf_init((char *)data, (unsigned)len);
  int n = uv_try_write(s, &b, 1);
  if (n == (int)len)
    return;
  if (n < 0)
    n = 0;
  write_t *w = malloc(sizeof *w + len - (size_t)n);
  memcpy(w->data, (const char *)data + n, len - (size_t)n);
  b = uv_buf_init(w->data, (unsigned)(len - (size_t)n));
  uv_write(&w->req, s, &b, 1, on_written);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  if (n < 0) {
    uv_close((uv_handle_t *)s, (uv_close_cb)free);
    return;
  }
  if (!counting) {
    send_bytes(s, buf->base, (size_t)n);
    return;
  }
  for (ssize_t i = 0; i < n; i++) {
    if (buf->base[i])
      value++;
    send_bytes(s, &value, sizeof value);
  }
}

static void on_connection(uv_stream_t *server, int status) {
  if (status < 0)
    return;
  uv_tcp_t *c = malloc(sizeof *c);
  uv_tcp_init(server->loop, c);
  if (uv_accept(server, (uv_stream_t *)c) == 0) {
    uv_tcp_nodelay(c, 1);
    uv_read_start((uv_stream_t *)c, on_alloc, on_read);
  } else {
    uv_close((uv_handle_t *)c, (uv_close_cb)free);
  }
}

int main(int argc, char **argv) {
  uv_tcp_t server;
  struct sockaddr_in addr;
  if (argc != 3 || (strcmp(argv[1], "echo") && strcmp(argv[1], "counter"))) {
    fprintf(stderr, "usage: uv_server echo|counter PORT\n");
    return 2;
  }
  counting = strcmp(argv[1], "counter") == 0;
  uv_ip4_addr("127.0.0.1", atoi(argv[2]), &addr);
  uv_tcp_init(uv_default_loop(), &server);
  int err = uv_tcp_bind(&server, (struct sockaddr *)&addr, 0);
  if (err == 0)
    err = uv_listen((uv_stream_t *)&server, SOMAXCONN, on_connection);
  if (err) {
    fprintf(stderr, "uv_server: %s\n", uv_strerror(err));
    return 1;
  }
  return uv_run(uv_default_loop(), UV_RUN_DEFAULT);
}
