/* worker.c — worker threads: a libuv loop each, run queues, work stealing.
 *
 * DESIGN. A worker runs its queued tasks from the loop's check phase (right
 * after polling I/O) in batches of FLX__BATCH; while work remains an idle
 * handle keeps the next poll from blocking, so I/O and tasks interleave.
 * A worker with nothing to do steals from another worker's runq before it
 * sleeps in epoll; it never spins.
 *
 * Stealing has a price: a stolen message whose connection lives on another
 * loop must send its writes back there. So a thief takes only from a victim
 * that is stuck in one task for more than STEAL_AFTER_NS, or whose stealable
 * queue holds more than STEAL_BACKLOG tasks; short I/O-bound messages stay
 * where their connection is.
 *
 * Sleeping and waking is a Dekker handshake on two atomics: a worker about to
 * sleep sets `sleeping` then looks at every other worker's `stealable`; a
 * worker that grows its runq from inside a task bumps `stealable` then looks
 * for a sleeper to wake. With sequentially consistent atomics at least one
 * side sees the other. A sleeper that sees work it may not take yet polls
 * again within a millisecond instead of sleeping, so work never waits in a
 * queue while a worker sleeps for good. (A task pushed onto another worker's
 * queue always rings that worker's doorbell.)
 */
#include "internal.h"

#include <stdlib.h>

#define STEAL_AFTER_NS 20000
#define STEAL_BACKLOG (2 * FLX__BATCH)

/* The worker running on this thread. Thread identity, not shared state: it is
 * written once by the thread itself and read only by it. */
static _Thread_local flx__worker_t *current_worker;

static void on_idle(uv_idle_t *h);
static void on_recheck(uv_timer_t *t);

flx__worker_t *flx__worker_self(flx_runtime_t *rt) {
  flx__worker_t *w = current_worker;
  return (w && w->rt == rt) ? w : NULL;
}

flx__worker_t *flx__worker_pick(flx_runtime_t *rt) {
  flx__worker_t *w = flx__worker_self(rt);
  if (w)
    return w;
  return &rt->workers[atomic_fetch_add(&rt->rr, 1) % (unsigned)rt->nworkers];
}

static void wake_sleeper(flx__worker_t *self) {
  flx_runtime_t *rt = self->rt;
  for (int i = 1; i < rt->nworkers; i++) {
    flx__worker_t *v = &rt->workers[(self->id + i) % rt->nworkers];
    if (atomic_exchange(&v->sleeping, 0)) {
      uv_async_send(&v->wake);
      return;
    }
  }
}

void flx__worker_push(flx__worker_t *w, flx__task_t *t, bool pinned) {
  size_t stealable;
  uv_mutex_lock(&w->lock);
  flx__fifo_push(pinned ? &w->pinq : &w->runq, t);
  stealable = w->runq.len;
  atomic_store(&w->stealable, stealable);
  atomic_fetch_add(&w->depth, 1);
  uv_mutex_unlock(&w->lock);

  if (current_worker == w) {
    uv_idle_start(&w->idle, on_idle);
    if (!pinned && stealable > 1 && atomic_load(&w->task_start) != 0)
      wake_sleeper(w);
  } else {
    uv_async_send(&w->wake);
  }
}

void flx__worker_push_now(flx__worker_t *w, flx__task_t *t) {
  uv_mutex_lock(&w->lock);
  flx__fifo_push(&w->nextq, t);
  atomic_fetch_add(&w->depth, 1);
  uv_mutex_unlock(&w->lock);
  uv_idle_start(&w->idle, on_idle);
}

static flx__task_t *pop_local(flx__worker_t *w, unsigned turn) {
  flx__task_t *t;
  uv_mutex_lock(&w->lock);
  /* Calls made now first (push_now); then alternate between the queues so
   * neither starves the other. */
  t = flx__fifo_pop(&w->nextq);
  if (t == NULL)
    t = flx__fifo_pop(turn & 1 ? &w->pinq : &w->runq);
  if (t == NULL)
    t = flx__fifo_pop(turn & 1 ? &w->runq : &w->pinq);
  if (t) {
    atomic_store(&w->stealable, w->runq.len);
    atomic_fetch_sub(&w->depth, 1);
  }
  uv_mutex_unlock(&w->lock);
  return t;
}

/* Whether a thief may take from v now (see the header comment). */
static bool worth_stealing(flx__worker_t *v, uint64_t now) {
  size_t n = atomic_load(&v->stealable);
  uint64_t since = atomic_load(&v->task_start);
  return n > STEAL_BACKLOG || (n > 0 && since != 0 && now - since > STEAL_AFTER_NS);
}

/* Takes up to half of a victim's runq (at least one task) into w's runq. */
static bool steal(flx__worker_t *w) {
  flx_runtime_t *rt = w->rt;
  uint64_t now = uv_hrtime();
  for (int i = 1; i < rt->nworkers; i++) {
    flx__worker_t *v = &rt->workers[(w->id + i) % rt->nworkers];
    if (!worth_stealing(v, now))
      continue;
    flx__fifo_t got = {0};
    uv_mutex_lock(&v->lock);
    size_t n = (v->runq.len + 1) / 2;
    for (size_t k = 0; k < n; k++)
      flx__fifo_push(&got, flx__fifo_pop(&v->runq));
    atomic_store(&v->stealable, v->runq.len);
    atomic_fetch_sub(&v->depth, n);
    uv_mutex_unlock(&v->lock);
    if (n == 0)
      continue;

    uv_mutex_lock(&w->lock);
    while (got.head)
      flx__fifo_push(&w->runq, flx__fifo_pop(&got));
    atomic_store(&w->stealable, w->runq.len);
    atomic_fetch_add(&w->depth, n);
    uv_mutex_unlock(&w->lock);
    atomic_fetch_add_explicit(&w->stolen, n, memory_order_relaxed);
    return true;
  }
  return false;
}

static void run_batch(flx__worker_t *w) {
  for (unsigned i = 0; i < FLX__BATCH; i++) {
    flx__task_t *t = pop_local(w, i);
    if (t == NULL && (w->rt->nworkers == 1 || !steal(w)))
      break;
    if (t == NULL)
      continue;
    atomic_store_explicit(&w->task_start, uv_hrtime(), memory_order_relaxed);
    flx__run_task(w, t);
    atomic_store_explicit(&w->task_start, 0, memory_order_relaxed);
  }
  if (atomic_load(&w->depth) > 0)
    uv_idle_start(&w->idle, on_idle);
  else
    uv_idle_stop(&w->idle);
}

void flx__run_task(flx__worker_t *w, flx__task_t *t) {
  switch (t->type) {
  case FLX__TASK_MSG:
    flx__run_msg(w, FLX__CONTAINER_OF(t, flx_msg_t, _task));
    break;
  case FLX__TASK_GROUP:
    flx__run_group(w, FLX__CONTAINER_OF(t, flx_group_t, task));
    break;
  case FLX__TASK_CALL: {
    flx__call_t *c = FLX__CONTAINER_OF(t, flx__call_t, task);
    c->fn(w, c);
    break;
  }
  default:
    abort();
  }
}

static void on_check(uv_check_t *h) {
  flx__worker_t *w = h->data;
  atomic_store(&w->sleeping, 0);
  run_batch(w);
}

static void on_idle(uv_idle_t *h) {
  run_batch(h->data);
}

/* Before polling: announce that we may sleep, then look once more for work
 * (the other half of the handshake in the header comment). */
static void on_prepare(uv_prepare_t *h) {
  flx__worker_t *w = h->data;
  flx__worker_look_alive(w);
  if (atomic_load(&w->depth) > 0)
    return;
  atomic_store(&w->sleeping, 1);
  uint64_t now = uv_hrtime();
  bool pending = false;
  for (int i = 0; i < w->rt->nworkers; i++) {
    flx__worker_t *v = &w->rt->workers[i];
    if (v == w || atomic_load(&v->stealable) == 0)
      continue;
    if (worth_stealing(v, now)) {
      atomic_store(&w->sleeping, 0);
      uv_idle_start(&w->idle, on_idle);
      return;
    }
    pending = true;
  }
  if (pending)   /* look again soon: that work may become worth taking */
    uv_timer_start(&w->recheck, on_recheck, 1, 0);
}

static void on_recheck(uv_timer_t *t) {
  (void)t;   /* the check phase that follows tries to steal */
}

static void on_wake(uv_async_t *h) {
  (void)h;   /* the check phase that follows runs the queues */
}

int flx__worker_init(flx_runtime_t *rt, flx__worker_t *w, int id) {
  int err;
  w->rt = rt;
  w->id = id;
  flx__link_init(&w->conns);
  flx__link_init(&w->listeners);
  if ((err = uv_loop_init(&w->loop)))
    return err;
  if ((err = uv_mutex_init(&w->lock))) {
    uv_loop_close(&w->loop);
    return err;
  }
  uv_async_init(&w->loop, &w->wake, on_wake);
  uv_prepare_init(&w->loop, &w->prepare);
  uv_check_init(&w->loop, &w->check);
  uv_idle_init(&w->loop, &w->idle);
  uv_timer_init(&w->loop, &w->recheck);
  uv_unref((uv_handle_t *)&w->recheck);
  w->wake.data = w->prepare.data = w->check.data = w->idle.data = w;
  uv_prepare_start(&w->prepare, on_prepare);
  uv_check_start(&w->check, on_check);
  uv_unref((uv_handle_t *)&w->prepare);
  uv_unref((uv_handle_t *)&w->check);
  w->readbuf = flx__malloc(65536);
  return 0;
}

static void worker_main(void *arg) {
  flx__worker_t *w = arg;
  const flx_options_t *o = &w->rt->opts;
  current_worker = w;
  if (o->on_worker_start)
    o->on_worker_start(w->rt, w->id, o->data);
  uv_run(&w->loop, UV_RUN_DEFAULT);
  if (o->on_worker_stop)
    o->on_worker_stop(w->rt, w->id, o->data);
  current_worker = NULL;
}

void flx_worker_set_data(flx_runtime_t *rt, int worker, void *data) {
  if (worker >= 0 && worker < rt->nworkers)
    rt->workers[worker].data = data;
}

void *flx_ctx_worker_data(const flx_ctx_t *ctx) { return ctx->worker->data; }

int flx__worker_spawn(flx__worker_t *w) {
  return uv_thread_create(&w->thread, worker_main, w);
}

void flx__worker_join(flx__worker_t *w) {
  uv_thread_join(&w->thread);
}

/* Closes the loop's own handles; uv_run then returns once nothing is left.
 * Runs on the worker after the runtime has quiesced. */
static void exit_call(flx__worker_t *w, flx__call_t *c) {
  free(c);
  w->exiting = 1;
  flx__timer_close_all(w);
  uv_close((uv_handle_t *)&w->wake, NULL);
  uv_close((uv_handle_t *)&w->prepare, NULL);
  uv_close((uv_handle_t *)&w->check, NULL);
  uv_close((uv_handle_t *)&w->idle, NULL);
  uv_close((uv_handle_t *)&w->recheck, NULL);
}

void flx__worker_close(flx__worker_t *w) {
  flx__worker_call(w, flx__malloc(sizeof(flx__call_t)), exit_call);
}

/* Frees what flx__worker_init made, once the thread has ended (or never
 * started: then the handles are closed here). */
void flx__worker_free(flx__worker_t *w) {
  if (!w->exiting) {
    flx__tcp_close_all(w);
    flx__timer_close_all(w);
    uv_close((uv_handle_t *)&w->wake, NULL);
    uv_close((uv_handle_t *)&w->prepare, NULL);
    uv_close((uv_handle_t *)&w->check, NULL);
    uv_close((uv_handle_t *)&w->idle, NULL);
    uv_close((uv_handle_t *)&w->recheck, NULL);
  }
  /* Tasks left behind belong to a runtime that never ran: free them. */
  flx__task_t *t;
  while ((t = flx__fifo_pop(&w->runq)) || (t = flx__fifo_pop(&w->pinq)) ||
         (t = flx__fifo_pop(&w->nextq))) {
    if (t->type == FLX__TASK_MSG)
      flx__msg_free(FLX__CONTAINER_OF(t, flx_msg_t, _task));
    else if (t->type == FLX__TASK_CALL) {
      flx__call_t *c = FLX__CONTAINER_OF(t, flx__call_t, task);
      if (c->drop)
        c->drop(c);
      else
        free(c);
    }
  }
  uv_run(&w->loop, UV_RUN_DEFAULT);
  uv_loop_close(&w->loop);
  uv_mutex_destroy(&w->lock);
  flx__map_free(&w->timers);
  free(w->readbuf);
}

void flx__worker_call(flx__worker_t *w, flx__call_t *call, flx__call_fn fn) {
  flx__worker_call_or_drop(w, call, fn, NULL);
}

void flx__worker_call_or_drop(flx__worker_t *w, flx__call_t *call, flx__call_fn fn,
                              void (*drop)(flx__call_t *)) {
  call->task.type = FLX__TASK_CALL;
  call->fn = fn;
  call->drop = drop;
  flx__worker_push(w, &call->task, true);
}

typedef struct sync_call_s {
  flx__call_t call;
  void (*fn)(flx__worker_t *, void *);
  void *arg;
  uv_sem_t done;
} sync_call_t;

static void sync_call_run(flx__worker_t *w, flx__call_t *c) {
  sync_call_t *s = FLX__CONTAINER_OF(c, sync_call_t, call);
  s->fn(w, s->arg);
  uv_sem_post(&s->done);
}

void flx__worker_call_sync(flx__worker_t *w, void (*fn)(flx__worker_t *, void *),
                           void *arg) {
  if (current_worker == w || atomic_load(&w->rt->state) == FLX__NEW) {
    fn(w, arg);
    return;
  }
  sync_call_t s = {.fn = fn, .arg = arg};
  uv_sem_init(&s.done, 0);
  flx__worker_call(w, &s.call, sync_call_run);
  uv_sem_wait(&s.done);
  uv_sem_destroy(&s.done);
}
