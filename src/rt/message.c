/* message.c — sending, delivering and running messages: stateless fluxions,
 * group mailboxes with read/write access, and joins on tagged tokens.
 *
 * DESIGN. A message belongs to exactly one place at a time — the sender until
 * flx_send returns, then a run queue, a group mailbox or a join's matching
 * memory, then the handler — and is freed after its handler returns. That is
 * what makes delivery exactly-once. rt->inflight counts messages between
 * send and the end of their handler (tokens waiting in a join are counted in
 * rt->parked instead), so a stopping runtime knows when all work is done.
 *
 * A group is scheduled as one task (Mely's "steal colors, not events"): the
 * group task runs the mailbox in arrival order. A write at the head waits for
 * running reads to end; consecutive reads at the head are handed out as
 * separate tasks (stealable if the group floats) so they overlap. No code
 * holds a group lock and a worker's queue lock at the same time.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static flx_msg_t *msg_new(const flx_send_t *r, uint64_t tag) {
  flx_msg_t *m = flx__malloc(sizeof *m + r->len + 1);
  char *payload = (char *)(m + 1);
  if (r->len)
    memcpy(payload, r->data, r->len);
  payload[r->len] = '\0';   /* lets text payloads be used as C strings */
  *m = (flx_msg_t){
    .to = r->to, .tag = tag, .kind = r->kind, .access = r->access,
    .port = r->port, .ref = r->ref, .data = payload, .len = r->len,
    ._release = r->release, ._task = {.type = FLX__TASK_MSG},
  };
  return m;
}

void flx__msg_free(flx_msg_t *m) {
  for (unsigned i = 0; i < m->ntokens; i++)
    if (m->tokens[i])
      flx__msg_free(m->tokens[i]);
  if (m->_release)
    m->_release(m->ref);
  free(m);
}

static void finished(flx_runtime_t *rt) {
  atomic_fetch_sub(&rt->inflight, 1);
  flx__live_sub(rt);
}

/* ---- groups ---------------------------------------------------------- */

static void schedule_group(flx_group_t *g) {
  flx_runtime_t *rt = g->rt;
  if (g->home >= 0)
    flx__worker_push(&rt->workers[g->home], &g->task, true);
  else
    flx__worker_push(flx__worker_pick(rt), &g->task, false);
}

/* Whether the mailbox's head may start now. Called with g->lock held. */
static bool group_ready(const flx_group_t *g) {
  const flx__task_t *t = g->mailbox.head;
  if (t == NULL)
    return false;
  return FLX__CONTAINER_OF(t, flx_msg_t, _task)->access == FLX_READ ||
         g->readers == 0;
}

static void group_enqueue(flx_group_t *g, flx_msg_t *m) {
  bool start;
  uv_mutex_lock(&g->lock);
  flx__fifo_push(&g->mailbox, &m->_task);
  start = !g->scheduled && group_ready(g);
  if (start)
    g->scheduled = true;
  uv_mutex_unlock(&g->lock);
  if (start)
    schedule_group(g);
}

/* A call made now by a handler on the group's home worker: at the front of
 * the mailbox, after the calls made now before it (see dispatch). */
static void group_enqueue_now(flx_group_t *g, flx_msg_t *m, flx__worker_t *home) {
  bool start;
  uv_mutex_lock(&g->lock);
  flx__fifo_insert(&g->mailbox, g->now_tail, &m->_task);
  g->now_tail = &m->_task;
  start = !g->scheduled && group_ready(g);
  if (start)
    g->scheduled = true;
  uv_mutex_unlock(&g->lock);
  if (start)
    flx__worker_push_now(home, &g->task);
}

static void reader_done(flx_group_t *g) {
  bool start;
  uv_mutex_lock(&g->lock);
  g->readers--;
  start = !g->scheduled && group_ready(g);
  if (start)
    g->scheduled = true;
  uv_mutex_unlock(&g->lock);
  if (start)
    schedule_group(g);
}

void flx__run_group(flx__worker_t *w, flx_group_t *g) {
  unsigned ran = 0;
  uv_mutex_lock(&g->lock);
  for (;;) {
    if (!group_ready(g)) {
      g->scheduled = false;
      break;
    }
    if (ran++ == FLX__BATCH) {   /* let other work on this worker run */
      uv_mutex_unlock(&g->lock);
      schedule_group(g);
      return;
    }
    flx__task_t *head = flx__fifo_pop(&g->mailbox);
    if (head == g->now_tail)
      g->now_tail = NULL;
    flx_msg_t *m = FLX__CONTAINER_OF(head, flx_msg_t, _task);
    if (m->access == FLX_READ) {
      g->readers++;
      const flx__task_t *next = g->mailbox.head;
      bool overlap = g->home < 0 && next &&
                     FLX__CONTAINER_OF(next, flx_msg_t, _task)->access == FLX_READ;
      uv_mutex_unlock(&g->lock);
      if (overlap)
        flx__worker_push(w, &m->_task, false);   /* another worker may take it */
      else
        flx__run_msg(w, m);
    } else {
      uv_mutex_unlock(&g->lock);
      flx__run_msg(w, m);
    }
    uv_mutex_lock(&g->lock);
  }
  uv_mutex_unlock(&g->lock);
}

/* ---- running --------------------------------------------------------- */

void flx__run_msg(flx__worker_t *w, flx_msg_t *m) {
  flx_fluxion_t *f = m->to;
  flx_ctx_t ctx = {.rt = w->rt, .worker = w, .fluxion = f, .tag = m->tag};
  bool outer = w->in_message;
  w->in_message = true;
  f->handler(&ctx, m);
  w->in_message = outer;
  atomic_fetch_add_explicit(&f->runs[w->id], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&w->messages, 1, memory_order_relaxed);
  if (f->group && m->access == FLX_READ)
    reader_done(f->group);
  flx__msg_free(m);
  flx__worker_look_alive(w);   /* what the handler started, before m goes */
  finished(w->rt);
}

/* A call made now (flx_send_t.now) goes before what is queued, as node runs
 * a callback called back before the next event: a tick queue per worker, and
 * the front of a group's mailbox. */
static void dispatch(flx_runtime_t *rt, flx_msg_t *m, bool here, bool now) {
  flx_group_t *g = m->to->group;
  flx__worker_t *self = here ? flx__worker_self(rt) : NULL;
  now = now && self && self->in_message;
  if (g && now && g->home == self->id)
    group_enqueue_now(g, m, self);
  else if (g)
    group_enqueue(g, m);
  else if (now)
    flx__worker_push_now(self, &m->_task);
  else
    flx__worker_push(self ? self : flx__worker_pick(rt), &m->_task, self != NULL);
}

/* ---- joins (matching memory, seed 003 §4.2) -------------------------- */

/* The pending entry for a tag is the joined message itself, filled in as its
 * tokens arrive; it is dispatched when the last port is filled. */
static int join_offer(flx_runtime_t *rt, flx_msg_t *token) {
  flx_fluxion_t *f = token->to;
  flx__join_t *j = f->join;
  unsigned have = 0;

  uv_mutex_lock(&j->lock);
  flx_msg_t *joined = flx__map_get(&j->pending, token->tag);
  if (joined == NULL) {
    joined = flx__calloc(1, sizeof *joined + f->ports * sizeof(flx_msg_t *));
    joined->to = f;
    joined->tag = token->tag;
    joined->kind = FLX_POST;
    joined->data = "";
    joined->ntokens = f->ports;
    joined->tokens = (flx_msg_t **)(joined + 1);
    joined->_task.type = FLX__TASK_MSG;
    flx__map_put(&j->pending, token->tag, joined);
  }
  if (joined->tokens[token->port]) {
    uv_mutex_unlock(&j->lock);
    flx__msg_free(token);
    finished(rt);
    return FLX_EEXIST;
  }
  joined->tokens[token->port] = token;
  for (unsigned i = 0; i < f->ports; i++)
    have += joined->tokens[i] != NULL;
  if (have < f->ports) {
    uv_mutex_unlock(&j->lock);
    atomic_fetch_add(&rt->parked, 1);
    finished(rt);
    return 0;
  }
  flx__map_del(&j->pending, token->tag);
  uv_mutex_unlock(&j->lock);
  /* The last token's place in rt->inflight passes to the joined message. */
  atomic_fetch_sub(&rt->parked, f->ports - 1);
  dispatch(rt, joined, false, false);
  return 0;
}

/* ---- sending --------------------------------------------------------- */

int flx_send(flx_runtime_t *rt, const flx_send_t *r) {
  if (rt == NULL || r == NULL || r->to == NULL || r->kind > FLX_POST ||
      r->access > FLX_READ || (r->len && r->data == NULL) ||
      r->port >= (r->to->ports > 1 ? r->to->ports : 1)) {
    if (r && r->release)
      r->release(r->ref);
    return FLX_EINVAL;
  }
  /* Count first, then check: a stopping runtime that sees inflight == 0
   * after closing knows no send can still be on its way in. */
  atomic_fetch_add(&rt->inflight, 1);
  flx__live_add(rt);
  if (atomic_load(&rt->state) == FLX__CLOSED) {
    finished(rt);
    if (r->release)
      r->release(r->ref);
    return FLX_ECANCELED;
  }
  uint64_t tag = r->kind == FLX_START ? atomic_fetch_add(&rt->next_tag, 1) : r->tag;
  flx_msg_t *m = msg_new(r, tag);
  if (m->to->ports > 1)
    return join_offer(rt, m);
  dispatch(rt, m, r->here, r->now);
  return 0;
}

int flx_start(flx_runtime_t *rt, flx_fluxion_t *to, const void *data, size_t len) {
  return flx_send(rt, &(flx_send_t){.to = to, .kind = FLX_START,
                                    .data = data, .len = len});
}

int flx_post(flx_ctx_t *ctx, flx_fluxion_t *to, const void *data, size_t len) {
  return flx_send(ctx->rt, &(flx_send_t){.to = to, .kind = FLX_POST,
                                         .tag = ctx->tag, .data = data,
                                         .len = len});
}

flx_runtime_t *flx_ctx_runtime(const flx_ctx_t *ctx) { return ctx->rt; }
void *flx_ctx_context(const flx_ctx_t *ctx) { return ctx->fluxion->context; }
int flx_ctx_worker(const flx_ctx_t *ctx) { return ctx->worker->id; }
uint64_t flx_ctx_tag(const flx_ctx_t *ctx) { return ctx->tag; }
flx_fluxion_t *flx_ctx_fluxion(const flx_ctx_t *ctx) { return ctx->fluxion; }
