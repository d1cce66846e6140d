/* test-messages.c — delivery, groups, read/write access, stealing, joins and
 * tags: the runtime's guarantees, each checked where it could break. */
#include "test.h"

#include <stdatomic.h>
#include <unistd.h>
#include <uv.h>

static flx_runtime_t *new_rt(int workers) {
  flx_runtime_t *rt;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = workers}));
  return rt;
}

/* ---- exactly once ---------------------------------------------------- */

enum { FANS = 1000, PER_FAN = 1000, TOTAL = FANS * PER_FAN };

/* Read by stateless handlers on every worker; written before the run. */
static struct {
  flx_fluxion_t *sink;
  atomic_uchar *seen;
  bool stop_early;
} d;

/* Each fan message sends PER_FAN numbered messages to the sink. */
static void fan(flx_ctx_t *ctx, flx_msg_t *msg) {
  uint32_t base;
  memcpy(&base, msg->data, sizeof base);
  if (d.stop_early && base == 0)
    flx_runtime_stop(flx_ctx_runtime(ctx));
  for (uint32_t i = 0; i < PER_FAN; i++) {
    uint32_t id = base + i;
    ASSERT_OK(flx_post(ctx, d.sink, &id, sizeof id));
  }
}

static void sink(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx;
  uint32_t id;
  ASSERT_EQ(msg->len, sizeof id);
  memcpy(&id, msg->data, sizeof id);
  ASSERT(id < TOTAL);
  atomic_fetch_add_explicit(&d.seen[id], 1, memory_order_relaxed);
}

static uint64_t runs(flx_runtime_t *rt, flx_fluxion_t *f) {
  uint64_t n = 0;
  for (int w = 0; w < flx_runtime_workers(rt); w++)
    n += flx_fluxion_messages(f, w);
  return n;
}

static void run_delivery(bool stop_early) {
  flx_runtime_t *rt = new_rt(2);
  flx_fluxion_t *f_fan;
  d.stop_early = stop_early;
  d.seen = calloc(TOTAL, sizeof *d.seen);
  ASSERT_OK(flx_fluxion_new(rt, "sink", sink, NULL, &d.sink));
  ASSERT_OK(flx_fluxion_new(rt, "fan", fan, NULL, &f_fan));
  for (uint32_t i = 0; i < FANS; i++) {
    uint32_t base = i * PER_FAN;
    ASSERT_OK(flx_start(rt, f_fan, &base, sizeof base));
  }
  if (stop_early) {
    ASSERT_OK(flx_runtime_run(rt));   /* the first fan asks to stop */
  } else {
    bg_runtime_t *bg = bg_start(rt);
    while (runs(rt, d.sink) < TOTAL)
      sleep_ms(5);
    bg_stop(bg);
  }
  ASSERT_EQ(runs(rt, d.sink), TOTAL);
  for (uint32_t i = 0; i < TOTAL; i++)
    if (d.seen[i] != 1)
      FAIL("message %u delivered %u times", i, (unsigned)d.seen[i]);
  free(d.seen);
  flx_runtime_free(rt);
}

TEST_IMPL(messages_none_lost_or_duplicated) {
  run_delivery(false);
  return 0;
}

TEST_IMPL(messages_delivered_during_stop) {
  run_delivery(true);
  return 0;
}

/* Waits for fluxion f to have run n messages, then stops the runtime. */
static void run_until(flx_runtime_t *rt, flx_fluxion_t *f, uint64_t n) {
  bg_runtime_t *bg = bg_start(rt);
  while (runs(rt, f) < n)
    sleep_ms(2);
  bg_stop(bg);
  ASSERT_EQ(runs(rt, f), n);
}

/* ---- groups: order ---------------------------------------------------- */

enum { PRODUCERS = 5, PER_PRODUCER = 10000 };

typedef struct seqmsg_s {
  uint32_t producer, seq;
} seqmsg_t;

static flx_fluxion_t *ordered_f;

static void ordered(flx_ctx_t *ctx, flx_msg_t *msg) {
  uint32_t *next = flx_ctx_context(ctx);
  seqmsg_t m;
  memcpy(&m, msg->data, sizeof m);
  if (m.seq != next[m.producer])
    FAIL("producer %u: got %u, expected %u", m.producer, m.seq, next[m.producer]);
  next[m.producer]++;
}

static void producer(flx_ctx_t *ctx, flx_msg_t *msg) {
  seqmsg_t m = {0};
  memcpy(&m.producer, msg->data, sizeof m.producer);
  for (m.seq = 0; m.seq < PER_PRODUCER; m.seq++)
    ASSERT_OK(flx_post(ctx, ordered_f, &m, sizeof m));
}

static void check_order(int home) {
  flx_runtime_t *rt = new_rt(2);
  flx_group_t *g;
  flx_fluxion_t *prod;
  uint32_t next[PRODUCERS] = {0};
  ASSERT_OK(flx_group_new(rt, "g", home, &g));
  ASSERT_OK(flx_fluxion_new(rt, "ordered", ordered,
                            &(flx_fluxion_options_t){.context = next, .group = g},
                            &ordered_f));
  ASSERT_OK(flx_fluxion_new(rt, "producer", producer, NULL, &prod));
  for (uint32_t p = 1; p < PRODUCERS; p++)
    ASSERT_OK(flx_start(rt, prod, &p, sizeof p));
  for (seqmsg_t m = {0, 0}; m.seq < PER_PRODUCER; m.seq++)   /* producer 0 */
    ASSERT_OK(flx_start(rt, ordered_f, &m, sizeof m));
  run_until(rt, ordered_f, PRODUCERS * PER_PRODUCER);
  for (int p = 0; p < PRODUCERS; p++)
    ASSERT_EQ(next[p], PER_PRODUCER);
  flx_runtime_free(rt);
}

TEST_IMPL(group_keeps_arrival_order) {
  check_order(-1);   /* floating */
  check_order(0);    /* pinned */
  return 0;
}

static void on_home(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  ASSERT_EQ(flx_ctx_worker(ctx), 1);
}

static void spray_home(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  for (int i = 0; i < 100; i++)
    ASSERT_OK(flx_post(ctx, flx_fluxion_find(flx_ctx_runtime(ctx), "home"), NULL, 0));
}

TEST_IMPL(pinned_group_runs_on_home) {
  flx_runtime_t *rt = new_rt(2);
  flx_group_t *g;
  flx_fluxion_t *home, *spray;
  ASSERT_OK(flx_group_new(rt, "pinned", 1, &g));
  ASSERT_OK(flx_fluxion_new(rt, "home", on_home, &(flx_fluxion_options_t){.group = g}, &home));
  ASSERT_OK(flx_fluxion_new(rt, "spray", spray_home, NULL, &spray));
  for (int i = 0; i < 100; i++) {
    ASSERT_OK(flx_start(rt, spray, NULL, 0));
    ASSERT_OK(flx_start(rt, home, NULL, 0));
  }
  run_until(rt, home, 100 * 100 + 100);
  ASSERT_EQ(flx_fluxion_messages(home, 0), 0);
  flx_runtime_free(rt);
  return 0;
}

/* ---- groups: exclusion ------------------------------------------------ */

enum { SPRAYS = 1000, INCREMENTS = 1000 };

typedef struct counter_s {
  long value;            /* deliberately not atomic */
  atomic_int inside;
  long by_worker[2];
} counter_t;

static flx_fluxion_t *counter_f;

static void count(flx_ctx_t *ctx, flx_msg_t *msg) {
  counter_t *c = flx_ctx_context(ctx);
  ASSERT_EQ(atomic_fetch_add(&c->inside, 1), 0);
  int from;
  memcpy(&from, msg->data, sizeof from);
  c->value++;
  c->by_worker[from]++;
  atomic_fetch_sub(&c->inside, 1);
}

static void spray(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  int from = flx_ctx_worker(ctx);
  for (int i = 0; i < INCREMENTS; i++)
    ASSERT_OK(flx_post(ctx, counter_f, &from, sizeof from));
}

TEST_IMPL(group_exclusion_counter) {
  flx_runtime_t *rt = new_rt(2);
  counter_t c = {0};
  flx_fluxion_t *spray_f;
  /* A context and no group: the fluxion is a group of its own. */
  ASSERT_OK(flx_fluxion_new(rt, "count", count, &(flx_fluxion_options_t){.context = &c},
                            &counter_f));
  ASSERT_OK(flx_fluxion_new(rt, "spray", spray, NULL, &spray_f));
  for (int i = 0; i < SPRAYS; i++)
    ASSERT_OK(flx_start(rt, spray_f, NULL, 0));
  run_until(rt, counter_f, SPRAYS * INCREMENTS);
  ASSERT_EQ(c.value, SPRAYS * INCREMENTS);
  ASSERT_INT(c.by_worker[0], >, 0);   /* messages came from every worker */
  ASSERT_INT(c.by_worker[1], >, 0);
  flx_runtime_free(rt);
  return 0;
}

/* ---- groups: read and write access ----------------------------------- */

enum { ROUNDS = 20, READS_PER_ROUND = 30 };

typedef struct rw_s {
  atomic_int readers, writers, max_readers;
  atomic_int reads_done, writes_done;
} rw_t;

typedef struct rwmsg_s {
  int reads_before, writes_before;
} rwmsg_t;

static void rw(flx_ctx_t *ctx, flx_msg_t *msg) {
  rw_t *s = flx_ctx_context(ctx);
  rwmsg_t m;
  memcpy(&m, msg->data, sizeof m);
  /* Everything sent before this message, and of the other kind, is done. */
  ASSERT_EQ(atomic_load(&s->writes_done), m.writes_before);
  if (msg->access == FLX_READ) {
    ASSERT_EQ(atomic_load(&s->writers), 0);
    int now = atomic_fetch_add(&s->readers, 1) + 1;
    int max = atomic_load(&s->max_readers);
    while (now > max && !atomic_compare_exchange_weak(&s->max_readers, &max, now))
      ;
    usleep(300);
    ASSERT_EQ(atomic_load(&s->writers), 0);
    atomic_fetch_sub(&s->readers, 1);
    atomic_fetch_add(&s->reads_done, 1);
  } else {
    ASSERT_EQ(atomic_load(&s->reads_done), m.reads_before);
    ASSERT_EQ(atomic_fetch_add(&s->writers, 1), 0);
    ASSERT_EQ(atomic_load(&s->readers), 0);
    usleep(100);
    ASSERT_EQ(atomic_load(&s->readers), 0);
    atomic_fetch_sub(&s->writers, 1);
    atomic_fetch_add(&s->writes_done, 1);
  }
}

TEST_IMPL(reads_overlap_writes_never) {
  flx_runtime_t *rt = new_rt(2);
  rw_t s = {0};
  flx_group_t *g;
  flx_fluxion_t *f;
  ASSERT_OK(flx_group_new(rt, "rw", -1, &g));
  ASSERT_OK(flx_fluxion_new(rt, "rw", rw, &(flx_fluxion_options_t){.context = &s, .group = g}, &f));
  rwmsg_t m = {0, 0};
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < READS_PER_ROUND; i++) {
      ASSERT_OK(flx_send(rt, &(flx_send_t){.to = f, .access = FLX_READ, .data = &m, .len = sizeof m}));
      m.reads_before++;
    }
    ASSERT_OK(flx_send(rt, &(flx_send_t){.to = f, .access = FLX_WRITE, .data = &m, .len = sizeof m}));
    m.writes_before++;
  }
  run_until(rt, f, ROUNDS * (READS_PER_ROUND + 1));
  ASSERT_EQ(s.writes_done, ROUNDS);
  ASSERT_INT(s.max_readers, >=, 2);   /* reads did overlap */
  flx_runtime_free(rt);
  return 0;
}

/* ---- stealing --------------------------------------------------------- */

static void work(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx; (void)msg;
  burn_us(200);
}

static void burst(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  flx_fluxion_t *w = flx_fluxion_find(flx_ctx_runtime(ctx), "work");
  for (int i = 0; i < 400; i++)   /* all onto this worker's own queue */
    ASSERT_OK(flx_post(ctx, w, NULL, 0));
}

TEST_IMPL(burst_is_stolen) {
  flx_runtime_t *rt = new_rt(2);
  flx_fluxion_t *b, *w;
  ASSERT_OK(flx_fluxion_new(rt, "work", work, NULL, &w));
  ASSERT_OK(flx_fluxion_new(rt, "burst", burst, NULL, &b));
  ASSERT_OK(flx_start(rt, b, NULL, 0));
  run_until(rt, w, 400);
  flx_worker_stats_t s0, s1;
  ASSERT_OK(flx_worker_stats(rt, 0, &s0));
  ASSERT_OK(flx_worker_stats(rt, 1, &s1));
  ASSERT_INT(s0.stolen + s1.stolen, >, 0);
  ASSERT_INT(flx_fluxion_messages(w, 0), >, 0);   /* both workers ran some */
  ASSERT_INT(flx_fluxion_messages(w, 1), >, 0);
  flx_runtime_free(rt);
  return 0;
}

/* The same burst, sent `here`: every message stays with the worker that
 * sent it (it could hold that worker's memory), none is stolen. */
static atomic_int burst_worker;

static void work_here(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  ASSERT_EQ(flx_ctx_worker(ctx), atomic_load(&burst_worker));
  burn_us(200);
}

static void burst_here(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  flx_fluxion_t *w = flx_fluxion_find(flx_ctx_runtime(ctx), "work");
  atomic_store(&burst_worker, flx_ctx_worker(ctx));
  for (int i = 0; i < 400; i++)
    ASSERT_OK(flx_send(flx_ctx_runtime(ctx), &(flx_send_t){.to = w, .kind = FLX_POST,
                                                            .tag = flx_ctx_tag(ctx), .here = 1}));
}

TEST_IMPL(burst_sent_here_stays) {
  flx_runtime_t *rt = new_rt(2);
  flx_fluxion_t *b, *w;
  ASSERT_OK(flx_fluxion_new(rt, "work", work_here, NULL, &w));
  ASSERT_OK(flx_fluxion_new(rt, "burst", burst_here, NULL, &b));
  ASSERT_OK(flx_start(rt, b, NULL, 0));
  run_until(rt, w, 400);
  int home = atomic_load(&burst_worker);
  ASSERT_EQ(flx_fluxion_messages(w, home), 400);
  ASSERT_EQ(flx_fluxion_messages(w, 1 - home), 0);
  flx_runtime_free(rt);
  return 0;
}

/* ---- calls made now ---------------------------------------------------- */

/* Node's order for a callback called back now (a tick): a and b are queued
 * events; a calls back c and d, c calls back e. Node runs a c d e b: the
 * calls before the next event, each after those made before it. The same
 * through a group's mailbox. */
static struct {
  char log[8];
  atomic_int n;
} now_order;

static void called_now(flx_ctx_t *ctx, flx_msg_t *msg) {
  char step = msg->data[0];
  now_order.log[atomic_fetch_add(&now_order.n, 1)] = step;
  const char *calls = step == 'a' ? "cd" : step == 'c' ? "e" : "";
  for (; *calls; calls++)
    ASSERT_OK(flx_send(flx_ctx_runtime(ctx), &(flx_send_t){.to = flx_ctx_fluxion(ctx),
                                                            .kind = FLX_START, .data = calls,
                                                            .len = 1, .here = 1, .now = 1}));
}

static void check_now_order(int workers, bool grouped) {
  flx_runtime_t *rt = new_rt(workers);
  flx_group_t *g = NULL;
  flx_fluxion_t *f;
  memset(&now_order, 0, sizeof now_order);
  if (grouped)
    ASSERT_OK(flx_group_new(rt, "g", 0, &g));
  ASSERT_OK(flx_fluxion_new(rt, "step", called_now, &(flx_fluxion_options_t){.group = g}, &f));
  ASSERT_OK(flx_start(rt, f, "a", 1));
  ASSERT_OK(flx_start(rt, f, "b", 1));
  run_until(rt, f, 5);
  ASSERT_STR_EQ(now_order.log, "acdeb");
  flx_runtime_free(rt);
}

TEST_IMPL(calls_made_now_run_before_queued_events) {
  check_now_order(1, false);
  check_now_order(2, true);   /* the group's home is worker 0 */
  return 0;
}

/* ---- joins ------------------------------------------------------------ */

enum { JOIN_TAGS = 2000, PORTS = 3 };
static atomic_int fired[JOIN_TAGS + 1];

static void joined(flx_ctx_t *ctx, flx_msg_t *msg) {
  ASSERT_EQ(msg->ntokens, PORTS);
  ASSERT(msg->tag >= 1 && msg->tag <= JOIN_TAGS);
  ASSERT_EQ(flx_ctx_tag(ctx), msg->tag);
  for (unsigned i = 0; i < PORTS; i++) {
    flx_msg_t *t = msg->tokens[i];
    ASSERT_EQ(t->port, i);
    ASSERT_EQ(t->tag, msg->tag);
    uint64_t v;
    memcpy(&v, t->data, sizeof v);
    ASSERT_EQ(v, msg->tag * 10 + i);
  }
  atomic_fetch_add(&fired[msg->tag], 1);
}

static void token_port2(flx_ctx_t *ctx, flx_msg_t *msg) {
  uint64_t tag;
  memcpy(&tag, msg->data, sizeof tag);
  uint64_t v = tag * 10 + 2;
  ASSERT_OK(flx_send(flx_ctx_runtime(ctx),
                     &(flx_send_t){.to = flx_fluxion_find(flx_ctx_runtime(ctx), "join"),
                                   .kind = FLX_POST, .tag = tag, .port = 2,
                                   .data = &v, .len = sizeof v}));
}

TEST_IMPL(join_fires_once_per_tag) {
  flx_runtime_t *rt = new_rt(2);
  flx_fluxion_t *j, *emit;
  ASSERT_OK(flx_fluxion_new(rt, "join", joined, &(flx_fluxion_options_t){.ports = PORTS}, &j));
  ASSERT_OK(flx_fluxion_new(rt, "emit", token_port2, NULL, &emit));
  bg_runtime_t *bg = bg_start(rt);
  srand(42);
  /* Ports 0 and 1 from this thread in a scrambled order of tags; port 2 from
   * the workers. */
  for (uint64_t k = 0; k < JOIN_TAGS; k++) {
    uint64_t tag = (k * 7919) % JOIN_TAGS + 1;
    for (int p = 1; p >= 0; p--) {
      uint64_t v = tag * 10 + (uint64_t)p;
      ASSERT_OK(flx_send(rt, &(flx_send_t){.to = j, .kind = FLX_POST, .tag = tag,
                                           .port = (unsigned)p, .data = &v, .len = sizeof v}));
    }
    uint64_t other = (k * 104729) % JOIN_TAGS + 1;
    ASSERT_OK(flx_start(rt, emit, &other, sizeof other));
  }
  while (runs(rt, j) < JOIN_TAGS)
    sleep_ms(2);
  bg_stop(bg);
  for (int t = 1; t <= JOIN_TAGS; t++)
    ASSERT_EQ(fired[t], 1);
  flx_runtime_free(rt);
  return 0;
}

/* ---- tags ------------------------------------------------------------- */

static atomic_uint_fast64_t tag_a, tag_b, tag_c;

static void tag_c_f(flx_ctx_t *ctx, flx_msg_t *msg) { (void)msg; tag_c = flx_ctx_tag(ctx); }
static void tag_b_f(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  tag_b = flx_ctx_tag(ctx);
  ASSERT_OK(flx_start(flx_ctx_runtime(ctx), flx_fluxion_find(flx_ctx_runtime(ctx), "c"), NULL, 0));
}
static void tag_a_f(flx_ctx_t *ctx, flx_msg_t *msg) {
  ASSERT_EQ(msg->kind, FLX_START);
  tag_a = flx_ctx_tag(ctx);
  ASSERT_OK(flx_post(ctx, flx_fluxion_find(flx_ctx_runtime(ctx), "b"), NULL, 0));
}

TEST_IMPL(post_keeps_tag_start_makes_new) {
  flx_runtime_t *rt = new_rt(2);
  flx_fluxion_t *a, *b, *c;
  ASSERT_OK(flx_fluxion_new(rt, "a", tag_a_f, NULL, &a));
  ASSERT_OK(flx_fluxion_new(rt, "b", tag_b_f, NULL, &b));
  ASSERT_OK(flx_fluxion_new(rt, "c", tag_c_f, NULL, &c));
  ASSERT_OK(flx_start(rt, a, NULL, 0));
  run_until(rt, c, 1);
  ASSERT_INT(tag_a, !=, 0);
  ASSERT_EQ(tag_b, tag_a);
  ASSERT_INT(tag_c, !=, tag_a);
  flx_runtime_free(rt);
  return 0;
}

/* ---- introspection ---------------------------------------------------- */

TEST_IMPL(stats_count_messages) {
  flx_runtime_t *rt = new_rt(2);
  flx_fluxion_t *f;
  ASSERT_OK(flx_fluxion_new(rt, "counted", work, NULL, &f));
  for (int i = 0; i < 100; i++)
    ASSERT_OK(flx_start(rt, f, NULL, 0));
  run_until(rt, f, 100);
  flx_worker_stats_t s0, s1;
  ASSERT_OK(flx_worker_stats(rt, 0, &s0));
  ASSERT_OK(flx_worker_stats(rt, 1, &s1));
  ASSERT_EQ(s0.messages + s1.messages, 100);
  ASSERT_EQ(s0.queue_depth + s1.queue_depth, 0);
  ASSERT_EQ(flx_worker_stats(rt, 2, &s0), FLX_EINVAL);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  flx_stats_print(rt, out);
  fclose(out);
  char line[128];
  snprintf(line, sizeof line, "fluxion counted worker 0 messages %llu\n",
           (unsigned long long)flx_fluxion_messages(f, 0));
  ASSERT_CONTAINS(text, line);
  free(text);
  flx_runtime_free(rt);
  return 0;
}

/* ---- per-worker set-up ------------------------------------------------ */

typedef struct slots_s slots_t;
static slots_t *the_slots;   /* read by handlers; set before the run */

struct slots_s {
  atomic_int started, stopped;
  uv_thread_t thread[2];
  int slot[2];
  atomic_int seen_own;
};

static void worker_start(flx_runtime_t *rt, int w, void *data) {
  slots_t *s = data;
  s->thread[w] = uv_thread_self();
  flx_worker_set_data(rt, w, &s->slot[w]);
  atomic_fetch_add(&s->started, 1);
}

static void worker_stop(flx_runtime_t *rt, int w, void *data) {
  (void)rt;
  slots_t *s = data;
  uv_thread_t self = uv_thread_self();
  ASSERT(uv_thread_equal(&self, &s->thread[w]));
  atomic_fetch_add(&s->stopped, 1);
}

static void uses_worker_data(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  slots_t *s = the_slots;
  ASSERT(flx_ctx_worker_data(ctx) == &s->slot[flx_ctx_worker(ctx)]);
  atomic_fetch_add(&s->seen_own, 1);
}

TEST_IMPL(worker_start_and_stop_hooks) {
  static slots_t s;
  the_slots = &s;
  flx_runtime_t *rt;
  flx_fluxion_t *f;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2, .on_worker_start = worker_start,
                                                  .on_worker_stop = worker_stop, .data = &s}));
  ASSERT_OK(flx_fluxion_new(rt, "uses", uses_worker_data, NULL, &f));
  for (int i = 0; i < 200; i++)
    ASSERT_OK(flx_start(rt, f, NULL, 0));
  run_until(rt, f, 200);
  ASSERT_EQ(s.started, 2);
  ASSERT_EQ(s.stopped, 2);
  ASSERT_EQ(s.seen_own, 200);
  flx_runtime_free(rt);
  return 0;
}
