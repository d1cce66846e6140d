/* hello.c — a small HTTP service written with libflx's C API: a stateless
 * greeting, and a visit counter kept in a group. Ctrl-C stops it gracefully.
 *   curl localhost:8080/hello/ada      curl -X POST localhost:8080/visits */
#include "flx.h"

#include <stdio.h>
#include <stdlib.h>

static void hello(flx_ctx_t *ctx, flx_msg_t *msg) {
  char body[256];
  int n = snprintf(body, sizeof body, "hello, %s (worker %d)\n",
                   flx_http_req_param(msg->ref, "name"), flx_ctx_worker(ctx));
  flx_http_header_t h = {"Content-Type", "text/plain"};
  flx_http_respond(msg->ref, 200, &h, 1, body, (size_t)n);
}

/* Runs in the "visits" group: reads overlap, increments are exclusive. */
static void visits(flx_ctx_t *ctx, flx_msg_t *msg) {
  long *count = flx_ctx_context(ctx);
  if (msg->access == FLX_WRITE)
    ++*count;
  char body[64];
  int n = snprintf(body, sizeof body, "%ld\n", *count);
  flx_http_respond(msg->ref, 200, NULL, 0, body, (size_t)n);
}

int main(void) {
  flx_runtime_t *rt;
  flx_group_t *g;
  flx_fluxion_t *f_hello, *f_visits;
  flx_http_server_t *srv;
  long count = 0;
  const char *port = getenv("PORT");
  int err;

  flx_options_t opts = {.handle_signals = 1};
  if ((err = flx_runtime_new(&rt, &opts)) ||
      (err = flx_group_new(rt, "visits", -1, &g)) ||
      (err = flx_fluxion_new(rt, "hello", hello, NULL, &f_hello)) ||
      (err = flx_fluxion_new(rt, "visits", visits,
                             &(flx_fluxion_options_t){.context = &count, .group = g},
                             &f_visits)) ||
      (err = flx_http_server_new(rt, NULL, &srv)) ||
      (err = flx_http_route(srv, "GET", "/hello/:name", f_hello, FLX_READ)) ||
      (err = flx_http_route(srv, "GET", "/visits", f_visits, FLX_READ)) ||
      (err = flx_http_route(srv, "POST", "/visits", f_visits, FLX_WRITE)) ||
      (err = flx_http_listen(srv, "127.0.0.1", port ? atoi(port) : 8080))) {
    fprintf(stderr, "hello: %s\n", flx_strerror(err));
    return 1;
  }
  printf("hello: listening on http://127.0.0.1:%d with %d workers (Ctrl-C stops)\n",
         flx_http_port(srv), flx_runtime_workers(rt));
  fflush(stdout);
  flx_runtime_run(rt);
  printf("hello: stopped after %ld visits\n", count);
  flx_runtime_free(rt);
  return 0;
}
