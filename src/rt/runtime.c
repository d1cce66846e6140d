/* runtime.c — creating, running and stopping a runtime.
 *
 * DESIGN. flx_runtime_run turns the calling thread into the control thread:
 * it starts the workers, then runs a small loop of its own that waits for a
 * stop (flx_runtime_stop, or SIGINT/SIGTERM) and drives the stop through its
 * stages, each a state of rt->state:
 *   DRAINING   every worker closes its listeners; requests already accepted
 *              get their answers (up to opts.stop_timeout_ms);
 *   QUIESCING  every worker closes its connections and timers, so nothing new
 *              can start; messages already sent keep running until
 *              rt->inflight reaches zero;
 *   CLOSED     sends are refused; once the count is zero again (a send that
 *              raced the close has finished) the workers close their loops.
 * No message accepted by flx_send is dropped on the way.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#define STOP_POLL_MS 2

static int default_workers(void) {
  const char *env = getenv("FLX_WORKERS");
  if (env && atoi(env) > 0)
    return atoi(env);
  return (int)uv_available_parallelism();
}

int flx_runtime_new(flx_runtime_t **out, const flx_options_t *opts) {
  flx_options_t none = {0};
  if (out == NULL)
    return FLX_EINVAL;
  if (opts == NULL)
    opts = &none;
  if (opts->workers < 0)
    return FLX_EINVAL;

  flx_runtime_t *rt = flx__calloc(1, sizeof *rt);
  rt->opts = *opts;
  if (rt->opts.stop_timeout_ms == 0)
    rt->opts.stop_timeout_ms = 5000;
  rt->nworkers = opts->workers ? opts->workers : default_workers();
  atomic_init(&rt->next_tag, 1);
  atomic_init(&rt->next_timer, 1);
  uv_mutex_init(&rt->registry_lock);
  rt->workers = flx__calloc((size_t)rt->nworkers, sizeof *rt->workers);
  for (int i = 0; i < rt->nworkers; i++) {
    int err = flx__worker_init(rt, &rt->workers[i], i);
    if (err) {
      rt->nworkers = i;
      flx_runtime_free(rt);
      return err;
    }
  }
  *out = rt;
  return 0;
}

int flx_runtime_workers(const flx_runtime_t *rt) { return rt->nworkers; }

static void each_worker(flx_runtime_t *rt, void (*fn)(flx__worker_t *, void *)) {
  for (int i = 0; i < rt->nworkers; i++)
    flx__worker_call_sync(&rt->workers[i], fn, NULL);
}

static void close_listeners(flx__worker_t *w, void *arg) {
  (void)arg;
  flx__tcp_close_listeners(w);
}

static void close_sources(flx__worker_t *w, void *arg) {
  (void)arg;
  flx__tcp_close_all(w);
  flx__timer_close_all(w);
}

static void ctl_close(flx_runtime_t *rt) {
  uv_mutex_lock(&rt->registry_lock);
  rt->ctl_open = false;
  uv_mutex_unlock(&rt->registry_lock);
  uv_close((uv_handle_t *)&rt->ctl_wake, NULL);
  uv_close((uv_handle_t *)&rt->ctl_timer, NULL);
  if (rt->opts.handle_signals) {
    uv_close((uv_handle_t *)&rt->sigint, NULL);
    uv_close((uv_handle_t *)&rt->sigterm, NULL);
  }
}

/* One step of a stop; polled until the runtime is closed. */
static void on_stop_poll(uv_timer_t *t) {
  flx_runtime_t *rt = t->data;
  switch (atomic_load(&rt->state)) {
  case FLX__DRAINING:
    if (atomic_load(&rt->http_inflight) > 0 &&
        uv_now(&rt->ctl_loop) < rt->stop_deadline)
      return;
    atomic_store(&rt->state, FLX__QUIESCING);
    each_worker(rt, close_sources);
    return;
  case FLX__QUIESCING:
    if (atomic_load(&rt->inflight) > 0)
      return;
    atomic_store(&rt->state, FLX__CLOSED);
    return;   /* next poll: sends that raced the close have finished */
  case FLX__CLOSED:
    if (atomic_load(&rt->inflight) > 0)
      return;
    for (int i = 0; i < rt->nworkers; i++)
      flx__worker_close(&rt->workers[i]);
    ctl_close(rt);
    return;
  }
}

static void begin_stop(flx_runtime_t *rt) {
  if (atomic_load(&rt->state) != FLX__RUNNING)
    return;
  atomic_store(&rt->state, FLX__DRAINING);
  each_worker(rt, close_listeners);
  rt->stop_deadline = uv_now(&rt->ctl_loop) + rt->opts.stop_timeout_ms;
  uv_timer_start(&rt->ctl_timer, on_stop_poll, 0, STOP_POLL_MS);
}

static void on_ctl_wake(uv_async_t *a) {
  begin_stop(a->data);
}

static void on_signal(uv_signal_t *s, int signum) {
  flx_runtime_t *rt = s->data;
  if (rt->opts.on_signal && rt->opts.on_signal(rt, signum, rt->opts.data))
    return;   /* the application's to handle */
  begin_stop(rt);
}

int flx_runtime_run(flx_runtime_t *rt) {
  int err;
  if (atomic_load(&rt->state) != FLX__NEW)
    return FLX_EBUSY;
  if ((err = uv_loop_init(&rt->ctl_loop)))
    return err;
  uv_async_init(&rt->ctl_loop, &rt->ctl_wake, on_ctl_wake);
  uv_timer_init(&rt->ctl_loop, &rt->ctl_timer);
  rt->ctl_wake.data = rt->ctl_timer.data = rt;
  if (rt->opts.handle_signals) {
    uv_signal_init(&rt->ctl_loop, &rt->sigint);
    uv_signal_init(&rt->ctl_loop, &rt->sigterm);
    rt->sigint.data = rt->sigterm.data = rt;
    uv_signal_start(&rt->sigint, on_signal, SIGINT);
    uv_signal_start(&rt->sigterm, on_signal, SIGTERM);
  }
  uv_mutex_lock(&rt->registry_lock);
  rt->ctl_open = true;
  uv_mutex_unlock(&rt->registry_lock);

  /* A peer that vanishes must cost a write error, not the process. */
  signal(SIGPIPE, SIG_IGN);
  atomic_store(&rt->state, FLX__RUNNING);
  flx__live_start(rt);
  for (int i = 0; i < rt->nworkers; i++) {
    if ((err = flx__worker_spawn(&rt->workers[i]))) {
      fprintf(stderr, "flx: cannot start worker %d: %s\n", i, flx_strerror(err));
      abort();   /* workers already running share queues with the missing one */
    }
  }
  if (atomic_load(&rt->stop_requested))
    begin_stop(rt);
  uv_run(&rt->ctl_loop, UV_RUN_DEFAULT);
  for (int i = 0; i < rt->nworkers; i++)
    flx__worker_join(&rt->workers[i]);
  uv_loop_close(&rt->ctl_loop);
  return 0;
}

void flx_runtime_stop(flx_runtime_t *rt) {
  atomic_store(&rt->stop_requested, 1);
  uv_mutex_lock(&rt->registry_lock);
  if (rt->ctl_open)
    uv_async_send(&rt->ctl_wake);
  uv_mutex_unlock(&rt->registry_lock);
}

void flx_runtime_free(flx_runtime_t *rt) {
  if (rt == NULL)
    return;
  for (int i = 0; i < rt->nworkers; i++)
    flx__worker_free(&rt->workers[i]);
  for (size_t i = 0; i < rt->nfluxions; i++)
    flx__fluxion_free(rt->fluxions[i]);
  for (size_t i = 0; i < rt->ngroups; i++)
    flx__group_free(rt->groups[i]);
  while (rt->servers)
    rt->servers = flx__http_server_free(rt->servers);
  while (rt->listeners) {
    flx_listener_t *next = rt->listeners->next;
    for (int i = 0; i < rt->nworkers; i++)
      if (rt->listeners->fds[i] >= 0)   /* never handed to a loop */
        close(rt->listeners->fds[i]);
    free(rt->listeners->fds);
    free(rt->listeners);
    rt->listeners = next;
  }
  uv_mutex_destroy(&rt->registry_lock);
  free(rt->fluxions);
  free(rt->groups);
  free(rt->workers);
  free(rt);
}
