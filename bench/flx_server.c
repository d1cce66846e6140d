/* flx_server.c — the flx side of the TCP benchmarks, written with the C API.
 *   flx_server echo    PORT WORKERS   echo each chunk (a stateless fluxion)
 *   flx_server counter PORT WORKERS   seed 004's atomic counter: byte 0 reads,
 *                                     1 increments; the reply is the value
 *                                     (8 bytes); reads overlap, writes do not
 *   flx_server http    PORT WORKERS   "hello" over keep-alive HTTP that never
 *                                     times out (for the connections bench) */
#include "flx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void echo(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx;
  flx_tcp_write(msg->ref, msg->data, msg->len);
}

static void counter(flx_ctx_t *ctx, flx_msg_t *msg) {
  uint64_t *value = flx_ctx_context(ctx);
  uint64_t reply;
  if (msg->access == FLX_WRITE)
    ++*value;
  reply = *value;
  flx_tcp_write(msg->ref, &reply, sizeof reply);
}

/* Runs on the connection's loop: one message per operation byte, with the
 * access the operation needs. */
static void counter_read(flx_tcp_t *conn, const char *data, ssize_t len) {
  flx_fluxion_t *to = flx_tcp_listener_data(conn);
  for (ssize_t i = 0; i < len; i++) {
    flx_tcp_ref(conn);
    flx_send(flx_tcp_runtime(conn),
             &(flx_send_t){.to = to, .kind = FLX_START,
                           .access = data[i] ? FLX_WRITE : FLX_READ,
                           .ref = conn, .release = flx_tcp_unref});
  }
}

static void hello(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx;
  flx_http_respond(msg->ref, 200, NULL, 0, "hello\n", 6);
}

int main(int argc, char **argv) {
  flx_runtime_t *rt;
  flx_fluxion_t *f;
  uint64_t value = 0;
  int err = 0;
  if (argc != 4) {
    fprintf(stderr, "usage: flx_server echo|counter|http PORT WORKERS\n");
    return 2;
  }
  int port = atoi(argv[2]);
  flx_options_t opts = {.workers = atoi(argv[3]), .handle_signals = 1};
  if ((err = flx_runtime_new(&rt, &opts)))
    goto fail;
  if (strcmp(argv[1], "echo") == 0) {
    if ((err = flx_fluxion_new(rt, "echo", echo, NULL, &f)) ||
        (err = flx_tcp_listen(rt, &(flx_tcp_options_t){.port = port, .to = f}, NULL)))
      goto fail;
  } else if (strcmp(argv[1], "counter") == 0) {
    flx_group_t *g;
    if ((err = flx_group_new(rt, "counter", -1, &g)) ||
        (err = flx_fluxion_new(rt, "counter", counter,
                               &(flx_fluxion_options_t){.context = &value, .group = g}, &f)) ||
        (err = flx_tcp_listen(rt, &(flx_tcp_options_t){.port = port, .on_read = counter_read,
                                                       .data = f}, NULL)))
      goto fail;
  } else if (strcmp(argv[1], "http") == 0) {
    flx_http_server_t *srv;
    if ((err = flx_fluxion_new(rt, "hello", hello, NULL, &f)) ||
        (err = flx_http_server_new(rt, &(flx_http_options_t){.keepalive_timeout_ms = ~0u}, &srv)) ||
        (err = flx_http_route(srv, "GET", "/", f, FLX_WRITE)) ||
        (err = flx_http_listen(srv, "127.0.0.1", port)))
      goto fail;
  } else {
    fprintf(stderr, "flx_server: unknown server '%s'\n", argv[1]);
    return 2;
  }
  flx_runtime_run(rt);
  flx_runtime_free(rt);
  return 0;
fail:
  fprintf(stderr, "flx_server: %s\n", flx_strerror(err));
  return 1;
}
