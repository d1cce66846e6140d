/* loadgen.c — the load generator for flx's TCP benchmarks (echo, atomic
 * counter, idle MODE_HTTP connections), on libuv with a loop per thread.
 *
 *   loadgen echo    PORT [--conns 150] [--msgs 10000] [--size 16] [--threads 1]
 *   loadgen counter PORT --read-pct R [--conns 150] [--msgs 10000]
 *   loadgen hold    PORT --conns 10000 --pid SERVER_PID
 *
 * echo/counter: each connection sends a message, waits for the whole reply,
 * records the latency and sends the next (seed 004 §4). Prints one line:
 *   ops=N secs=S ops_per_s=X p50_us=A p99_us=B
 * hold: opens that many keep-alive MODE_HTTP connections, one request each, keeps
 * them open, then times requests on a fresh connection meanwhile; prints the
 * server's RSS growth per held connection:
 *   held=N rss_before_kb=A rss_after_kb=B bytes_per_conn=C p50_us=D p99_us=E */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define HIST_US 200000   /* latencies above 200 ms land in the last bucket */

typedef enum { MODE_ECHO, MODE_COUNTER, MODE_HTTP } load_mode_t;

typedef struct config_s {
  load_mode_t mode;
  int port, conns, threads, size, read_pct;
  long msgs;
  int pid;
  bool keep_open;     /* leave the connections open when done */
} config_t;

typedef struct thread_s thread_t;

typedef struct conn_s {
  uv_tcp_t tcp;
  uv_connect_t connect;
  thread_t *t;
  long sent;          /* messages sent */
  size_t want, got;   /* reply bytes expected / received so far */
  uint64_t sent_at;
  uint32_t rng;
  char out[256];
  char head[1024];    /* MODE_HTTP: the start of the reply, to find its length */
  size_t headlen;
} conn_t;

struct thread_s {
  const config_t *cfg;
  uv_loop_t loop;
  uv_thread_t thread;
  conn_t *conns;
  int nconns, done;
  uint64_t *hist;
  long ops;
  char buf[65536];
};

static void die(const char *what, int err) {
  fprintf(stderr, "loadgen: %s: %s\n", what, uv_strerror(err));
  exit(1);
}

static uint32_t next_rand(uint32_t *s) {   /* xorshift32 */
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  (void)hint;
  conn_t *c = h->data;
  *buf = uv_buf_init(c->t->buf, sizeof c->t->buf);
}

static void on_written(uv_write_t *req, int status) {
  free(req);
  if (status < 0)
    die("write", status);
}

static void send_next(conn_t *c) {
  const config_t *cfg = c->t->cfg;
  size_t len;
  if (cfg->mode == MODE_ECHO) {
    len = (size_t)cfg->size;
    memset(c->out, 'a' + (int)(c->sent % 26), len);
    c->want = len;
  } else if (cfg->mode == MODE_COUNTER) {
    len = 1;
    c->out[0] = (int)(next_rand(&c->rng) % 100) < cfg->read_pct ? 0 : 1;
    c->want = 8;
  } else {
    static const char get[] = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";
    len = sizeof get - 1;
    memcpy(c->out, get, len);
    c->want = SIZE_MAX;   /* known once the head is in: see http_want */
    c->headlen = 0;
  }
  c->got = 0;
  c->sent++;
  c->sent_at = uv_hrtime();
  uv_write_t *req = malloc(sizeof *req);
  uv_buf_t b = uv_buf_init(c->out, (unsigned)len);
  int err = uv_write(req, (uv_stream_t *)&c->tcp, &b, 1, on_written);
  if (err)
    die("write", err);
}

static void record(thread_t *t, uint64_t ns) {
  uint64_t us = ns / 1000;
  t->hist[us < HIST_US ? us : HIST_US - 1]++;
  t->ops++;
}

/* MODE_HTTP: once the head has arrived, how long the whole reply is. */
static void http_want(conn_t *c, const char *data, size_t n) {
  if (c->want != SIZE_MAX)
    return;
  size_t room = sizeof c->head - 1 - c->headlen;
  memcpy(c->head + c->headlen, data, n < room ? n : room);
  c->headlen += n < room ? n : room;
  c->head[c->headlen] = '\0';
  const char *end = strstr(c->head, "\r\n\r\n");
  if (end == NULL)
    return;
  const char *cl = strcasestr(c->head, "\r\ncontent-length:");
  c->want = (size_t)(end - c->head) + 4 + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  conn_t *c = s->data;
  thread_t *t = c->t;
  if (n < 0)
    die("read", (int)n);
  if (n == 0)
    return;
  if (t->cfg->mode == MODE_HTTP)
    http_want(c, buf->base, (size_t)n);
  c->got += (size_t)n;
  if (c->got < c->want)
    return;
  record(t, uv_hrtime() - c->sent_at);
  if (c->sent < t->cfg->msgs) {
    send_next(c);
  } else if (t->cfg->keep_open) {
    if (++t->done == t->nconns)
      uv_stop(&t->loop);
  } else {
    uv_read_stop(s);
    uv_close((uv_handle_t *)s, NULL);
  }
}

static void on_connect(uv_connect_t *req, int status) {
  conn_t *c = req->data;
  if (status < 0)
    die("connect", status);
  uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
  send_next(c);
}

static void thread_main(void *arg) {
  thread_t *t = arg;
  struct sockaddr_in addr;
  uv_ip4_addr("127.0.0.1", t->cfg->port, &addr);
  for (int i = 0; i < t->nconns; i++) {
    conn_t *c = &t->conns[i];
    c->t = t;
    c->rng = 2463534242u + (uint32_t)i * 7919u;
    uv_tcp_init(&t->loop, &c->tcp);
    uv_tcp_nodelay(&c->tcp, 1);
    c->tcp.data = c->connect.data = c;
    int err = uv_tcp_connect(&c->connect, &c->tcp, (struct sockaddr *)&addr, on_connect);
    if (err)
      die("connect", err);
  }
  uv_run(&t->loop, UV_RUN_DEFAULT);
}

static uint64_t percentile(uint64_t *hist, long total, double p) {
  long want = (long)((double)total * p), seen = 0;
  for (uint64_t us = 0; us < HIST_US; us++) {
    seen += (long)hist[us];
    if (seen > want)
      return us;
  }
  return HIST_US;
}

static long rss_kb(int pid) {
  char path[64], line[256];
  long kb = -1;
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
      break;
  fclose(f);
  return kb;
}

/* Runs the configured load on cfg->threads threads; returns the threads. */
static thread_t *run_threads(const config_t *cfg, double *secs) {
  thread_t *ts = calloc((size_t)cfg->threads, sizeof *ts);
  uint64_t start = uv_hrtime();
  for (int i = 0; i < cfg->threads; i++) {
    thread_t *t = &ts[i];
    t->cfg = cfg;
    t->nconns = cfg->conns / cfg->threads + (i < cfg->conns % cfg->threads);
    t->conns = calloc((size_t)t->nconns, sizeof *t->conns);
    t->hist = calloc(HIST_US, sizeof *t->hist);
    uv_loop_init(&t->loop);
    uv_thread_create(&t->thread, thread_main, t);
  }
  for (int i = 0; i < cfg->threads; i++)
    uv_thread_join(&ts[i].thread);
  *secs = (double)(uv_hrtime() - start) / 1e9;
  return ts;
}

static void summarise(const config_t *cfg, thread_t *ts, long *ops, uint64_t *p50,
                      uint64_t *p99) {
  uint64_t *hist = calloc(HIST_US, sizeof *hist);
  *ops = 0;
  for (int i = 0; i < cfg->threads; i++) {
    for (int us = 0; us < HIST_US; us++)
      hist[us] += ts[i].hist[us];
    *ops += ts[i].ops;
  }
  *p50 = percentile(hist, *ops, 0.50);
  *p99 = percentile(hist, *ops, 0.99);
  free(hist);
}

static void usage(void) {
  fprintf(stderr, "usage: loadgen echo|counter|hold PORT [--conns N] [--msgs N] "
                  "[--size N] [--threads N] [--read-pct N] [--pid N]\n");
  exit(2);
}

int main(int argc, char **argv) {
  config_t cfg = {.conns = 150, .msgs = 10000, .size = 16, .threads = 1};
  if (argc < 3)
    usage();
  if (strcmp(argv[1], "echo") == 0) cfg.mode = MODE_ECHO;
  else if (strcmp(argv[1], "counter") == 0) cfg.mode = MODE_COUNTER;
  else if (strcmp(argv[1], "hold") == 0) cfg.mode = MODE_HTTP;
  else usage();
  cfg.port = atoi(argv[2]);
  for (int i = 3; i + 1 < argc; i += 2) {
    long v = atol(argv[i + 1]);
    if (strcmp(argv[i], "--conns") == 0) cfg.conns = (int)v;
    else if (strcmp(argv[i], "--msgs") == 0) cfg.msgs = v;
    else if (strcmp(argv[i], "--size") == 0) cfg.size = (int)v;
    else if (strcmp(argv[i], "--threads") == 0) cfg.threads = (int)v;
    else if (strcmp(argv[i], "--read-pct") == 0) cfg.read_pct = (int)v;
    else if (strcmp(argv[i], "--pid") == 0) cfg.pid = (int)v;
    else usage();
  }
  if (cfg.size < 1 || cfg.size > 256 || cfg.conns < 1 || cfg.threads < 1)
    usage();

  double secs;
  long ops;
  uint64_t p50, p99;
  if (strcmp(argv[1], "hold") != 0) {
    thread_t *ts = run_threads(&cfg, &secs);
    summarise(&cfg, ts, &ops, &p50, &p99);
    printf("ops=%ld secs=%.3f ops_per_s=%.0f p50_us=%llu p99_us=%llu\n", ops, secs,
           (double)ops / secs, (unsigned long long)p50, (unsigned long long)p99);
    return 0;
  }

  /* hold: the idle connections stay open while a probe of 4 fresh
   * connections times 2,000 requests. */
  long before = rss_kb(cfg.pid);
  config_t held = {.mode = MODE_HTTP, .port = cfg.port, .conns = cfg.conns, .msgs = 1,
                   .threads = 1, .keep_open = true};
  run_threads(&held, &secs);   /* returns with every connection answered */
  long after = rss_kb(cfg.pid);
  config_t probe = {.mode = MODE_HTTP, .port = cfg.port, .conns = 4, .msgs = 500, .threads = 1};
  thread_t *pt = run_threads(&probe, &secs);
  summarise(&probe, pt, &ops, &p50, &p99);
  printf("held=%d rss_before_kb=%ld rss_after_kb=%ld bytes_per_conn=%.0f "
         "probe_ops=%ld p50_us=%llu p99_us=%llu\n",
         cfg.conns, before, after, (double)(after - before) * 1024.0 / cfg.conns,
         ops, (unsigned long long)p50, (unsigned long long)p99);
  return 0;
}
