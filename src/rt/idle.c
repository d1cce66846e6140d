/* idle.c — stopping by itself when the program has nothing left to do, as a
 * Node.js process exits when its event loop is empty (opts.exit_when_idle).
 *
 * DESIGN. rt->live counts what may still make work: each message between its
 * send and the end of its handler, and each worker whose loop has something
 * that can call back (a listener, a connection, a timer, a request, a handle
 * being closed). A worker's part is its `alive` flag, looked at again after
 * every message it runs, before that message stops counting, and before its
 * loop polls. New work comes only from a message running or a live loop's
 * callback, and each of those is counted until what it started is, so once
 * the count reaches zero it stays there: the runtime stops then.
 *
 * One counter, not two: a message and a loop read separately could each be
 * seen at zero while the work moves from one to the other.
 */
#include "internal.h"

void flx__live_add(flx_runtime_t *rt) {
  if (rt->opts.exit_when_idle)
    atomic_fetch_add(&rt->live, 1);
}

void flx__live_sub(flx_runtime_t *rt) {
  if (rt->opts.exit_when_idle && atomic_fetch_sub(&rt->live, 1) == 1)
    flx_runtime_stop(rt);
}

/* Whether anything on w's loop can still call back. The doorbell does not
 * count: it is always there, and a message ringing it is counted already. */
static bool loop_alive(flx__worker_t *w) {
  if (w->conns.next != &w->conns)   /* open, even if not reading */
    return true;
  uv_unref((uv_handle_t *)&w->wake);
  bool alive = uv_loop_alive(&w->loop);
  uv_ref((uv_handle_t *)&w->wake);
  return alive;
}

void flx__worker_look_alive(flx__worker_t *w) {
  if (!w->rt->opts.exit_when_idle || w->exiting)
    return;
  bool alive = loop_alive(w);
  if (alive == w->alive)
    return;
  w->alive = alive;
  if (alive)
    flx__live_add(w->rt);
  else
    flx__live_sub(w->rt);
}

/* Before the workers start, every worker counts as alive until it has looked
 * at its loop, so a listener opened before flx_runtime_run is not missed. */
void flx__live_start(flx_runtime_t *rt) {
  if (!rt->opts.exit_when_idle)
    return;
  for (int i = 0; i < rt->nworkers; i++)
    rt->workers[i].alive = true;
  atomic_fetch_add(&rt->live, rt->nworkers);
}
