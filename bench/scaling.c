/* scaling.c — the runtime alone, no network: stateless fluxions doing about
 * 50 µs of CPU work per message; with --group every 10th message then goes
 * through one shared group. Prints messages/s.
 *   scaling WORKERS [--group] [--msgs N] */
#include "flx.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SOURCES 20

typedef struct bench_s {
  flx_fluxion_t *work, *shared;
  long per_source, total;
  bool grouped;
  atomic_long done;
} bench_t;

static bench_t b;   /* read-only once the runtime runs, but for `done` */

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void finish_one(flx_ctx_t *ctx) {
  if (atomic_fetch_add(&b.done, 1) + 1 == b.total)
    flx_runtime_stop(flx_ctx_runtime(ctx));
}

static void work(flx_ctx_t *ctx, flx_msg_t *msg) {
  uint64_t end = now_ns() + 50000;
  volatile uint64_t x = 0;
  while (now_ns() < end)
    for (int i = 0; i < 64; i++)
      x += (uint64_t)i * 2654435761u;
  uint32_t n;
  memcpy(&n, msg->data, sizeof n);
  if (b.grouped && n % 10 == 0)
    flx_post(ctx, b.shared, &n, sizeof n);
  else
    finish_one(ctx);
}

static void shared(flx_ctx_t *ctx, flx_msg_t *msg) {
  uint64_t *sum = flx_ctx_context(ctx);
  uint32_t n;
  memcpy(&n, msg->data, sizeof n);
  *sum += n;
  finish_one(ctx);
}

/* Each source puts its messages on its own worker's queue: a burst the
 * other workers must steal from. */
static void source(flx_ctx_t *ctx, flx_msg_t *msg) {
  uint32_t base;
  memcpy(&base, msg->data, sizeof base);
  for (uint32_t i = 0; i < b.per_source; i++) {
    uint32_t n = base + i;
    flx_post(ctx, b.work, &n, sizeof n);
  }
}

int main(int argc, char **argv) {
  flx_runtime_t *rt;
  flx_fluxion_t *src;
  uint64_t sum = 0;
  long msgs = 40000;
  if (argc < 2) {
    fprintf(stderr, "usage: scaling WORKERS [--group] [--msgs N]\n");
    return 2;
  }
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--group") == 0)
      b.grouped = true;
    else if (strcmp(argv[i], "--msgs") == 0 && i + 1 < argc)
      msgs = atol(argv[++i]);
  }
  b.per_source = msgs / SOURCES;
  b.total = b.per_source * SOURCES;
  if (flx_runtime_new(&rt, &(flx_options_t){.workers = atoi(argv[1])}) ||
      flx_fluxion_new(rt, "work", work, NULL, &b.work) ||
      flx_fluxion_new(rt, "shared", shared, &(flx_fluxion_options_t){.context = &sum},
                      &b.shared) ||
      flx_fluxion_new(rt, "source", source, NULL, &src)) {
    fprintf(stderr, "scaling: cannot set up the runtime\n");
    return 1;
  }
  for (uint32_t s = 0; s < SOURCES; s++) {
    uint32_t base = s * (uint32_t)b.per_source;
    flx_start(rt, src, &base, sizeof base);
  }
  uint64_t start = now_ns();
  flx_runtime_run(rt);
  double secs = (double)(now_ns() - start) / 1e9;
  printf("ops=%ld secs=%.3f ops_per_s=%.0f\n", b.total, secs, (double)b.total / secs);
  flx_runtime_free(rt);
  return 0;
}
