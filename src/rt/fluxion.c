/* fluxion.c — the registry of fluxions and groups, and the counters that
 * introspection reads. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void registry_add(void ***arr, size_t *n, void *item) {
  *arr = flx__realloc(*arr, (*n + 1) * sizeof **arr);
  (*arr)[(*n)++] = item;
}

static flx_group_t *group_alloc(flx_runtime_t *rt, const char *name, int home) {
  flx_group_t *g = flx__calloc(1, sizeof *g);
  g->name = flx__strdup(name);
  g->home = home;
  g->rt = rt;
  g->task.type = FLX__TASK_GROUP;
  uv_mutex_init(&g->lock);
  return g;
}

int flx_group_new(flx_runtime_t *rt, const char *name, int home,
                  flx_group_t **out) {
  if (rt == NULL || name == NULL || out == NULL || home >= rt->nworkers)
    return FLX_EINVAL;
  flx_group_t *g = group_alloc(rt, name, home < 0 ? -1 : home);
  uv_mutex_lock(&rt->registry_lock);
  registry_add((void ***)&rt->groups, &rt->ngroups, g);
  uv_mutex_unlock(&rt->registry_lock);
  *out = g;
  return 0;
}

void flx__group_free(flx_group_t *g) {
  flx__task_t *t;
  while ((t = flx__fifo_pop(&g->mailbox)))
    flx__msg_free(FLX__CONTAINER_OF(t, flx_msg_t, _task));
  uv_mutex_destroy(&g->lock);
  free(g->name);
  free(g);
}

static flx_fluxion_t *find_locked(flx_runtime_t *rt, const char *name) {
  for (size_t i = 0; i < rt->nfluxions; i++)
    if (strcmp(rt->fluxions[i]->name, name) == 0)
      return rt->fluxions[i];
  return NULL;
}

int flx_fluxion_new(flx_runtime_t *rt, const char *name, flx_handler_cb handler,
                    const flx_fluxion_options_t *opts, flx_fluxion_t **out) {
  flx_fluxion_options_t none = {0};
  if (opts == NULL)
    opts = &none;
  if (rt == NULL || name == NULL || *name == '\0' || handler == NULL)
    return FLX_EINVAL;

  uv_mutex_lock(&rt->registry_lock);
  if (find_locked(rt, name)) {
    uv_mutex_unlock(&rt->registry_lock);
    return FLX_EEXIST;
  }
  flx_fluxion_t *f = flx__calloc(1, sizeof *f);
  f->name = flx__strdup(name);
  f->handler = handler;
  f->context = opts->context;
  f->group = opts->group;
  f->ports = opts->ports > 1 ? opts->ports : 1;
  f->runs = flx__calloc((size_t)rt->nworkers, sizeof *f->runs);
  /* Private state with no group named: the fluxion is its own group, so its
   * messages never run at once. */
  if (f->group == NULL && f->context != NULL) {
    f->group = group_alloc(rt, name, -1);
    f->owns_group = true;
  }
  if (f->ports > 1) {
    f->join = flx__calloc(1, sizeof *f->join);
    uv_mutex_init(&f->join->lock);
  }
  registry_add((void ***)&rt->fluxions, &rt->nfluxions, f);
  uv_mutex_unlock(&rt->registry_lock);
  if (out)
    *out = f;
  return 0;
}

void flx__fluxion_free(flx_fluxion_t *f) {
  if (f->join) {
    flx__map_t *p = &f->join->pending;
    for (size_t i = 0; i < p->cap; i++)
      if (p->keys[i])
        flx__msg_free(p->vals[i]);
    flx__map_free(p);
    uv_mutex_destroy(&f->join->lock);
    free(f->join);
  }
  if (f->owns_group)
    flx__group_free(f->group);
  free(f->runs);
  free(f->name);
  free(f);
}

flx_fluxion_t *flx_fluxion_find(flx_runtime_t *rt, const char *name) {
  uv_mutex_lock(&rt->registry_lock);
  flx_fluxion_t *f = find_locked(rt, name);
  uv_mutex_unlock(&rt->registry_lock);
  return f;
}

const char *flx_fluxion_name(const flx_fluxion_t *f) { return f->name; }

size_t flx_fluxion_count(flx_runtime_t *rt) {
  uv_mutex_lock(&rt->registry_lock);
  size_t n = rt->nfluxions;
  uv_mutex_unlock(&rt->registry_lock);
  return n;
}

flx_fluxion_t *flx_fluxion_at(flx_runtime_t *rt, size_t i) {
  uv_mutex_lock(&rt->registry_lock);
  flx_fluxion_t *f = i < rt->nfluxions ? rt->fluxions[i] : NULL;
  uv_mutex_unlock(&rt->registry_lock);
  return f;
}

uint64_t flx_fluxion_messages(const flx_fluxion_t *f, int worker) {
  return atomic_load_explicit(&f->runs[worker], memory_order_relaxed);
}

int flx_worker_stats(flx_runtime_t *rt, int worker, flx_worker_stats_t *out) {
  if (worker < 0 || worker >= rt->nworkers || out == NULL)
    return FLX_EINVAL;
  flx__worker_t *w = &rt->workers[worker];
  out->messages = atomic_load_explicit(&w->messages, memory_order_relaxed);
  out->stolen = atomic_load_explicit(&w->stolen, memory_order_relaxed);
  out->queue_depth = atomic_load(&w->depth);
  return 0;
}

void flx_stats_print(flx_runtime_t *rt, FILE *out) {
  size_t n = flx_fluxion_count(rt);
  for (size_t i = 0; i < n; i++) {
    flx_fluxion_t *f = flx_fluxion_at(rt, i);
    for (int w = 0; w < rt->nworkers; w++)
      fprintf(out, "fluxion %s worker %d messages %llu\n", f->name, w,
              (unsigned long long)flx_fluxion_messages(f, w));
  }
  for (int w = 0; w < rt->nworkers; w++) {
    flx_worker_stats_t s;
    flx_worker_stats(rt, w, &s);
    fprintf(out, "worker %d messages %llu stolen %llu queued %llu\n", w,
            (unsigned long long)s.messages, (unsigned long long)s.stolen,
            (unsigned long long)s.queue_depth);
  }
}
