/* mod_timers.c — setTimeout, setInterval, setImmediate and their clear*
 * functions on libflx's timers.
 *
 * A JavaScript callback lives in its worker's runtime, so a timer must fire
 * there: each worker has a timer fluxion in a group pinned to it, and a
 * timer started on a worker lives on that worker's loop. setImmediate needs
 * no timer: its callbacks wait in a list that one message to the same
 * fluxion runs, as Node's check phase runs those queued before it. */
#include "host.h"

#include <stdlib.h>
#include <string.h>

enum { IMMEDIATES = 0 };   /* the message's id when it runs the immediates */
#define NO_TIMER UINT64_MAX   /* an immediate's runtime timer: none */

static void run_timer(flx_js_worker_t *w, flx_ctx_t *ctx, uint64_t id, bool immediate);

/* The immediates queued so far, each followed by its promise jobs; those
 * they queue wait for the next message, so a loop of them cannot starve
 * the worker. */
static void run_immediates(flx_js_worker_t *w, flx_ctx_t *ctx) {
  JSValue ids = w->immediates;
  w->immediates = JS_NewArray(w->ctx);
  w->immediate_tick = false;
  JSValue len = JS_GetPropertyStr(w->ctx, ids, "length");
  uint32_t n = 0;
  JS_ToUint32(w->ctx, &n, len);
  JS_FreeValue(w->ctx, len);
  for (uint32_t i = 0; i < n; i++) {
    int64_t id = 0;
    JSValue v = JS_GetPropertyUint32(w->ctx, ids, i);
    JS_ToInt64(w->ctx, &id, v);
    JS_FreeValue(w->ctx, v);
    run_timer(w, ctx, (uint64_t)id, true);   /* nothing if cleared meanwhile */
  }
  JS_FreeValue(w->ctx, ids);
}

static int schedule_immediates(flx_js_worker_t *w) {
  if (w->immediate_tick)
    return 0;
  uint64_t id = IMMEDIATES;
  int rc = flx_send(w->host->rt, &(flx_send_t){.to = w->host->timer_fluxions[w->id],
                                               .kind = FLX_START, .data = &id, .len = sizeof id});
  w->immediate_tick = rc == 0;
  return rc;
}

void flx_js_on_timer(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_js_worker_t *w = flx_ctx_worker_data(ctx);
  uint64_t id;
  memcpy(&id, msg->data, sizeof id);
  if (id == IMMEDIATES)
    run_immediates(w, ctx);
  else
    run_timer(w, ctx, id, false);
}

/* An immediate's own call is an event of its own, not a call made now
 * (stream_call): what it calls back in its turn is. */
static void run_timer(flx_js_worker_t *w, flx_ctx_t *ctx, uint64_t id, bool immediate) {
  JSValue key = JS_NewInt64(w->ctx, (int64_t)id);
  JSValue entry = flx_js_map(w->ctx, w->timers, "get", 1, &key);
  if (JS_IsObject(entry)) {
    JSValue fn = JS_GetPropertyUint32(w->ctx, entry, 0);
    JSValue args = JS_GetPropertyUint32(w->ctx, entry, 1);
    JSValue repeat = JS_GetPropertyUint32(w->ctx, entry, 3);
    if (!JS_ToBool(w->ctx, repeat))   /* once: forget it first, as Node does */
      JS_FreeValue(w->ctx, flx_js_map(w->ctx, w->timers, "delete", 1, &key));
    w->current = ctx;
    JSValue call_args[2] = {JS_UNDEFINED, args};
    w->calling_immediate = immediate;
    JSValue r = JS_Call(w->ctx, w->apply, fn, 2, call_args);
    w->calling_immediate = false;
    if (JS_IsException(r))
      flx_js_report(w, "timer");
    JS_FreeValue(w->ctx, r);
    JS_FreeValue(w->ctx, fn);
    JS_FreeValue(w->ctx, args);
    JS_FreeValue(w->ctx, repeat);
    flx_js_drain(w, "timer");
    w->current = NULL;
  }
  JS_FreeValue(w->ctx, entry);
  JS_FreeValue(w->ctx, key);
}

static int start_runtime_timer(flx_js_worker_t *w, uint64_t id, int64_t ms, bool repeat,
                               uint64_t *rt_id) {
  return flx_timer_start(w->host->rt,
                         &(flx_timer_options_t){.to = w->host->timer_fluxions[w->id],
                                                .timeout_ms = (uint64_t)ms,
                                                .repeat_ms = repeat ? (uint64_t)ms : 0,
                                                .data = &id, .len = sizeof id},
                         rt_id);
}

/* Element i of a timer's entry [fn, args, runtime id, repeat, ms], as an
 * integer; -1 if the timer is gone. */
static int64_t entry_int(JSContext *ctx, JSValueConst entry, uint32_t i) {
  int64_t n = -1;
  if (JS_IsObject(entry)) {
    JSValue v = JS_GetPropertyUint32(ctx, entry, i);
    JS_ToInt64(ctx, &n, v);
    JS_FreeValue(ctx, v);
  }
  return n;
}

/* The runtime timer behind an entry; 0 if the timer is gone, or is an
 * immediate (NO_TIMER reads back as -1). */
static uint64_t runtime_timer(JSContext *ctx, JSValueConst entry) {
  int64_t id = entry_int(ctx, entry, 2);
  return id > 0 ? (uint64_t)id : 0;
}

/* The entry of the timer whose id is key (the caller frees it), and its
 * runtime timer in *rt_id (0 if none). */
static JSValue entry_of(flx_js_worker_t *w, JSValueConst key, uint64_t *rt_id) {
  JSValue entry = flx_js_map(w->ctx, w->timers, "get", 1, &key);
  *rt_id = runtime_timer(w->ctx, entry);
  return entry;
}

/* __flx.timerRef(id, on): timeout.ref() / unref(). */
static JSValue timer_ref(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  if (argc < 2)
    return JS_UNDEFINED;
  uint64_t rt_id;
  JSValue entry = entry_of(w, argv[0], &rt_id);
  if (rt_id)
    flx_timer_ref(w->host->rt, rt_id, JS_ToBool(ctx, argv[1]));
  JS_FreeValue(ctx, entry);
  return JS_UNDEFINED;
}

/* w->timers[id] = [fn, args, runtime id, repeat, ms]; takes args. */
static void add_entry(flx_js_worker_t *w, uint64_t id, JSValueConst fn, JSValue args,
                      uint64_t rt_id, bool repeat, int64_t ms) {
  JSContext *ctx = w->ctx;
  JSValue entry = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, entry, 0, JS_DupValue(ctx, fn));
  JS_SetPropertyUint32(ctx, entry, 1, args);
  JS_SetPropertyUint32(ctx, entry, 2, JS_NewInt64(ctx, (int64_t)rt_id));
  JS_SetPropertyUint32(ctx, entry, 3, JS_NewBool(ctx, repeat));
  JS_SetPropertyUint32(ctx, entry, 4, JS_NewInt64(ctx, ms));
  JSValue kv[2] = {JS_NewInt64(ctx, (int64_t)id), entry};
  JS_FreeValue(ctx, flx_js_map(ctx, w->timers, "set", 2, kv));
  JS_FreeValue(ctx, kv[1]);
}

/* __flx.timerRefresh(id, fn, ms, args): timeout.refresh(), the same delay
 * from now. A timeout that has fired (its entry gone) starts again, with
 * the same id, as Node's does. */
static JSValue timer_refresh(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int64_t id = 0, ms = 1;
  if (argc < 1 || JS_ToInt64(ctx, &id, argv[0]) || id <= 0)
    return JS_UNDEFINED;
  uint64_t rt_id;
  JSValue entry = entry_of(w, argv[0], &rt_id);
  if (!JS_IsObject(entry) && argc >= 4 && JS_IsFunction(ctx, argv[1])) {
    JS_ToInt64(ctx, &ms, argv[2]);
    ms = ms < 1 ? 1 : ms;
    if (start_runtime_timer(w, (uint64_t)id, ms, false, &rt_id) == 0)
      add_entry(w, (uint64_t)id, argv[1],
                JS_IsArray(ctx, argv[3]) == 1 ? JS_DupValue(ctx, argv[3]) : JS_NewArray(ctx),
                rt_id, false, ms);
  } else if (rt_id) {
    flx_timer_stop(w->host->rt, rt_id);
    JSValue repeat = JS_GetPropertyUint32(ctx, entry, 3);
    uint64_t again = 0;
    if (start_runtime_timer(w, (uint64_t)id, entry_int(ctx, entry, 4), JS_ToBool(ctx, repeat),
                            &again) == 0)
      JS_SetPropertyUint32(ctx, entry, 2, JS_NewInt64(ctx, (int64_t)again));
    JS_FreeValue(ctx, repeat);
  }
  JS_FreeValue(ctx, entry);
  return JS_UNDEFINED;
}

/* setTimeout(fn, ms, ...args) / setInterval (magic 1) / setImmediate (magic 2) */
static JSValue set_timer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv,
                         int magic) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  if (argc < 1 || !JS_IsFunction(ctx, argv[0]))
    return JS_ThrowTypeError(ctx, "The \"callback\" argument must be of type function");
  int64_t ms = 0;
  int first_arg = magic == 2 ? 1 : 2;
  if (magic != 2 && argc > 1)
    JS_ToInt64(ctx, &ms, argv[1]);
  if (ms < 1)
    ms = magic == 2 ? 0 : 1;   /* Node: a delay under 1 is 1 */
  uint64_t id = ++w->next_timer, rt_id = 0;
  JSValue args = JS_NewArray(ctx);
  for (int i = first_arg; i < argc; i++)
    JS_SetPropertyUint32(ctx, args, (uint32_t)(i - first_arg), JS_DupValue(ctx, argv[i]));
  int rc;
  if (magic == 2) {
    rt_id = NO_TIMER;
    JSValue push = JS_GetPropertyStr(ctx, w->immediates, "push"), idv = JS_NewInt64(ctx, (int64_t)id);
    JS_FreeValue(ctx, JS_Call(ctx, push, w->immediates, 1, &idv));
    JS_FreeValue(ctx, push);
    rc = schedule_immediates(w);
  } else {
    rc = start_runtime_timer(w, id, ms, magic == 1, &rt_id);
  }
  if (rc) {
    JS_FreeValue(ctx, args);
    return JS_ThrowInternalError(ctx, "cannot start a timer: %s", flx_strerror(rc));
  }
  add_entry(w, id, argv[0], args, rt_id, magic == 1, ms);
  return JS_NewInt64(ctx, (int64_t)id);
}

static JSValue clear_timer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  if (argc < 1)
    return JS_UNDEFINED;
  uint64_t rt_id;
  JSValue entry = entry_of(w, argv[0], &rt_id);
  if (rt_id)
    flx_timer_stop(w->host->rt, rt_id);
  if (JS_IsObject(entry))
    JS_FreeValue(ctx, flx_js_map(ctx, w->timers, "delete", 1, argv));
  JS_FreeValue(ctx, entry);
  return JS_UNDEFINED;
}

void flx_js_timers_init(flx_js_worker_t *w, JSValue global) {
  JSContext *ctx = w->ctx;
  JSValue map_ctor = JS_GetPropertyStr(ctx, global, "Map");
  w->timers = JS_CallConstructor(ctx, map_ctor, 0, NULL);
  w->immediates = JS_NewArray(ctx);
  JS_FreeValue(ctx, map_ctor);
  JS_SetPropertyStr(ctx, global, "setTimeout",
                    JS_NewCFunctionMagic(ctx, set_timer, "setTimeout", 2, JS_CFUNC_generic_magic, 0));
  JS_SetPropertyStr(ctx, global, "setInterval",
                    JS_NewCFunctionMagic(ctx, set_timer, "setInterval", 2, JS_CFUNC_generic_magic, 1));
  JS_SetPropertyStr(ctx, global, "setImmediate",
                    JS_NewCFunctionMagic(ctx, set_timer, "setImmediate", 1, JS_CFUNC_generic_magic, 2));
  JS_SetPropertyStr(ctx, global, "clearTimeout", JS_NewCFunction(ctx, clear_timer, "clearTimeout", 1));
  JS_SetPropertyStr(ctx, global, "clearInterval", JS_NewCFunction(ctx, clear_timer, "clearInterval", 1));
  JS_SetPropertyStr(ctx, global, "clearImmediate", JS_NewCFunction(ctx, clear_timer, "clearImmediate", 1));
  JS_SetPropertyStr(ctx, w->flx, "timerRef", JS_NewCFunction(ctx, timer_ref, "timerRef", 2));
  JS_SetPropertyStr(ctx, w->flx, "timerRefresh", JS_NewCFunction(ctx, timer_refresh, "timerRefresh", 4));
}

void flx_js_timers_free(flx_js_worker_t *w) {
  JS_FreeValue(w->ctx, w->timers);
  JS_FreeValue(w->ctx, w->immediates);
}

