/* timer.c — one-shot and repeating timers that start messages.
 *
 * A timer lives on one worker's loop (the caller's, or one picked round
 * robin) and is known by an id whose low bits name that worker, so a stop from
 * any thread is routed to the right loop without a shared table. Starts and
 * stops travel as calls on that worker's pinned queue, which keeps their
 * order. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define WORKER_BITS 10    /* up to 1024 workers */

typedef struct timer_s {
  flx__call_t call;       /* the start request, then unused */
  uv_timer_t handle;
  uint64_t id;
  uint64_t timeout, repeat;
  flx_fluxion_t *to;
  void *ref;
  flx_release_cb release;   /* NULL once a message took the ref over */
  size_t len;
  char data[];
} timer_t_;

/* What flx_timer_stop and flx_timer_ref ask of the timer's loop. */
typedef enum { TIMER_STOP, TIMER_REF, TIMER_UNREF } timer_op_t;

typedef struct timer_req_s {
  flx__call_t call;
  uint64_t id;
  timer_op_t op;
} timer_req_t;

static void timer_free(timer_t_ *t) {
  if (t->release)
    t->release(t->ref);
  free(t);
}

static void on_closed(uv_handle_t *h) {
  timer_free(FLX__CONTAINER_OF(h, timer_t_, handle));
}

static void end_timer(flx__worker_t *w, timer_t_ *t) {
  flx__map_del(&w->timers, t->id);
  uv_close((uv_handle_t *)&t->handle, on_closed);
}

static void on_fire(uv_timer_t *h) {
  timer_t_ *t = FLX__CONTAINER_OF(h, timer_t_, handle);
  flx__worker_t *w = h->data;
  flx_send_t msg = {.to = t->to, .kind = FLX_START, .data = t->data, .len = t->len,
                    .ref = t->ref};
  if (t->repeat == 0) {   /* the message takes the ref over */
    msg.release = t->release;
    t->release = NULL;
  }
  flx_send(w->rt, &msg);
  if (t->repeat == 0)
    end_timer(w, t);
}

static void drop_unstarted(flx__call_t *c) {
  timer_free(FLX__CONTAINER_OF(c, timer_t_, call));
}

static void start_on_loop(flx__worker_t *w, flx__call_t *c) {
  timer_t_ *t = FLX__CONTAINER_OF(c, timer_t_, call);
  if (w->exiting || atomic_load(&w->rt->state) >= FLX__QUIESCING) {
    timer_free(t);
    return;
  }
  uv_timer_init(&w->loop, &t->handle);
  t->handle.data = w;
  flx__map_put(&w->timers, t->id, t);
  uv_timer_start(&t->handle, on_fire, t->timeout, t->repeat);
}

int flx_timer_start(flx_runtime_t *rt, const flx_timer_options_t *o, uint64_t *id) {
  if (rt == NULL || o == NULL || o->to == NULL || (o->len && o->data == NULL)) {
    if (o && o->release)
      o->release(o->ref);
    return FLX_EINVAL;
  }
  if (atomic_load(&rt->state) >= FLX__QUIESCING) {
    if (o->release)
      o->release(o->ref);
    return FLX_ECANCELED;
  }
  flx__worker_t *w = flx__worker_pick(rt);
  timer_t_ *t = flx__malloc(sizeof *t + o->len);
  t->id = (atomic_fetch_add(&rt->next_timer, 1) << WORKER_BITS) | (uint64_t)w->id;
  t->timeout = o->timeout_ms;
  t->repeat = o->repeat_ms;
  t->to = o->to;
  t->ref = o->ref;
  t->release = o->release;
  t->len = o->len;
  if (o->len)
    memcpy(t->data, o->data, o->len);
  if (id)
    *id = t->id;
  if (flx__worker_self(rt) == w) {
    t->call.fn = start_on_loop;
    start_on_loop(w, &t->call);
  } else {
    flx__worker_call_or_drop(w, &t->call, start_on_loop, drop_unstarted);
  }
  return 0;
}

/* On the timer's loop; FLX_ENOENT if it has ended. */
static int apply(flx__worker_t *w, uint64_t id, timer_op_t op) {
  timer_t_ *t = flx__map_get(&w->timers, id);
  if (t == NULL)
    return FLX_ENOENT;
  if (op == TIMER_STOP)
    end_timer(w, t);
  else if (op == TIMER_REF)
    uv_ref((uv_handle_t *)&t->handle);
  else
    uv_unref((uv_handle_t *)&t->handle);
  return 0;
}

static void apply_call(flx__worker_t *w, flx__call_t *c) {
  timer_req_t *r = FLX__CONTAINER_OF(c, timer_req_t, call);
  apply(w, r->id, r->op);
  free(r);
}

static int request(flx_runtime_t *rt, uint64_t id, timer_op_t op) {
  uint64_t wid = id & ((1u << WORKER_BITS) - 1);
  if (rt == NULL || id == 0 || wid >= (uint64_t)rt->nworkers)
    return FLX_EINVAL;
  flx__worker_t *w = &rt->workers[wid];
  if (flx__worker_self(rt) == w)
    return apply(w, id, op);
  timer_req_t *r = flx__malloc(sizeof *r);
  r->id = id;
  r->op = op;
  flx__worker_call(w, &r->call, apply_call);
  return 0;
}

int flx_timer_stop(flx_runtime_t *rt, uint64_t id) {
  return request(rt, id, TIMER_STOP);
}

int flx_timer_ref(flx_runtime_t *rt, uint64_t id, int ref) {
  return request(rt, id, ref ? TIMER_REF : TIMER_UNREF);
}

void flx__timer_close_all(flx__worker_t *w) {
  for (size_t i = 0; i < w->timers.cap; i++)
    if (w->timers.keys[i])
      uv_close((uv_handle_t *)&((timer_t_ *)w->timers.vals[i])->handle, on_closed);
  flx__map_free(&w->timers);
}
