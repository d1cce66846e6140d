/* host.c — runs a fluxional program (.flx) on libflx with one QuickJS
 * runtime per worker (docs/js-host.md).
 *
 * DESIGN. Everything a worker's JavaScript touches lives in its own runtime,
 * made on its own thread (on_worker_start). A stateless fluxion is made on
 * every worker and runs where its message is; a group is one JavaScript scope
 * on its home worker (the runtime group is pinned there) holding the group's
 * context variables, its fluxions being functions in that scope; main runs
 * once, on worker 0, in a pinned group of its own. A placeholder (`-> f`)
 * becomes a function that clones its arguments and the stream's variables
 * and sends them to f: a start for `>>`, a post (same tag) for `->`. */
#include "host.h"

#include <signal.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CALL_STREAM = 0 };

static size_t fluxion_index(const flx_js_host_t *h, const flx_fluxion_t *f);

/* "flx: fluxion WHERE: <what><error>" and its stack; takes e. */
static bool report_value(flx_js_worker_t *w, const char *where, const char *what, JSValue e) {
  const char *msg = JS_ToCString(w->ctx, e);
  if (msg && strcmp(msg, "InternalError: process.exit") == 0) {   /* not an error */
    JS_FreeCString(w->ctx, msg);
    JS_FreeValue(w->ctx, e);
    return false;
  }
  JSValue stack = JS_IsError(w->ctx, e) ? JS_GetPropertyStr(w->ctx, e, "stack") : JS_UNDEFINED;
  const char *st = JS_IsUndefined(stack) ? NULL : JS_ToCString(w->ctx, stack);
  fprintf(stderr, "flx: fluxion %s: %s%s\n%s", where, what, msg ? msg : "(exception)",
          st ? st : "");
  if (msg)
    JS_FreeCString(w->ctx, msg);
  if (st)
    JS_FreeCString(w->ctx, st);
  JS_FreeValue(w->ctx, stack);
  JS_FreeValue(w->ctx, e);
  return true;
}

bool flx_js_report(flx_js_worker_t *w, const char *where) {
  return report_value(w, where, "", JS_GetException(w->ctx));
}

/* QuickJS tells when a promise is rejected with no handler, and again if one
 * is added later: what is still unhandled once the jobs are done is an
 * error of the fluxion that ran (Node.js would print it and exit). */
static void track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason,
                            JS_BOOL is_handled, void *opaque) {
  flx_js_worker_t *w = opaque;
  w->rejections = w->rejections || !is_handled;
  JSValue args[2] = {JS_DupValue(ctx, promise), JS_DupValue(ctx, reason)};
  JS_FreeValue(ctx, flx_js_map(ctx, w->rejected, is_handled ? "delete" : "set",
                               is_handled ? 1 : 2, args));
  JS_FreeValue(ctx, args[0]);
  JS_FreeValue(ctx, args[1]);
}

static void report_rejections(flx_js_worker_t *w, const char *where) {
  if (!w->rejections)
    return;
  w->rejections = false;
  JSValue size = JS_GetPropertyStr(w->ctx, w->rejected, "size");
  int32_t n = 0;
  JS_ToInt32(w->ctx, &n, size);
  JS_FreeValue(w->ctx, size);
  if (n == 0)
    return;
  JSValue reasons = flx_js_map(w->ctx, w->rejected, "values", 0, NULL);
  for (;;) {
    JSValue next = JS_GetPropertyStr(w->ctx, reasons, "next");
    JSValue step = JS_Call(w->ctx, next, reasons, 0, NULL);
    JS_FreeValue(w->ctx, next);
    JSValue done = JS_GetPropertyStr(w->ctx, step, "done");
    bool end = JS_IsException(step) || JS_ToBool(w->ctx, done);
    JS_FreeValue(w->ctx, done);
    if (!end)
      report_value(w, where, "unhandled rejection: ", JS_GetPropertyStr(w->ctx, step, "value"));
    JS_FreeValue(w->ctx, step);
    if (end)
      break;
  }
  JS_FreeValue(w->ctx, reasons);
  JS_FreeValue(w->ctx, flx_js_map(w->ctx, w->rejected, "clear", 0, NULL));
}

JSValue flx_js_map(JSContext *ctx, JSValueConst map, const char *method, int argc,
                   JSValueConst *argv) {
  JSValue fn = JS_GetPropertyStr(ctx, map, method);
  JSValue r = JS_Call(ctx, fn, map, argc, argv);
  JS_FreeValue(ctx, fn);
  return r;
}

/* As Node after each callback: process.nextTick's queue, then the promise
 * jobs, until a round finds neither; then what was rejected with no handler. */
void flx_js_drain(flx_js_worker_t *w, const char *where) {
  JSContext *jctx;
  for (bool busy = true; busy;) {
    busy = false;
    if (JS_IsFunction(w->ctx, w->run_ticks)) {
      JSValue r = JS_Call(w->ctx, w->run_ticks, JS_UNDEFINED, 0, NULL);
      if (JS_IsException(r))
        flx_js_report(w, where);
      busy = JS_IsException(r) || JS_ToBool(w->ctx, r);
      JS_FreeValue(w->ctx, r);
    }
    for (int rc; (rc = JS_ExecutePendingJob(w->rt, &jctx)) != 0; busy = true)
      if (rc < 0)
        flx_js_report(w, where);
  }
  report_rejections(w, where);
  w->turns++;
}

/* ---- helpers ---------------------------------------------------------------------- */

int flx_js_view(JSContext *ctx, JSValueConst v, flx_js_view_t *out) {
  *out = (flx_js_view_t){.p = (const uint8_t *)""};
  if (JS_IsUndefined(v) || JS_IsNull(v))
    return 0;
  /* Only an object is asked for its buffer: asking a string would throw,
   * a backtrace and all. */
  if (JS_IsObject(v)) {
    size_t off, len, bpe, size;
    JSValue buf = JS_GetTypedArrayBuffer(ctx, v, &off, &len, &bpe);
    if (!JS_IsException(buf)) {
      const uint8_t *base = JS_GetArrayBuffer(ctx, &size, buf);
      JS_FreeValue(ctx, buf);
      if (base)
        out->p = base + off;
      out->len = base ? len : 0;
      return 0;
    }
    JS_FreeValue(ctx, JS_GetException(ctx));   /* not a typed array: as a string */
  }
  const char *s = JS_ToCStringLen(ctx, &out->len, v);
  if (s == NULL)
    return -1;
  out->p = (const uint8_t *)s;
  out->owned = true;
  return 0;
}

void flx_js_view_release(JSContext *ctx, flx_js_view_t *v) {
  if (v->owned)
    JS_FreeCString(ctx, (const char *)v->p);
  *v = (flx_js_view_t){0};
}

flx_fluxion_t **flx_js_pinned_fluxions(flx_js_host_t *h, const char *prefix,
                                       flx_handler_cb handler) {
  int n = flx_runtime_workers(h->rt);
  flx_fluxion_t **out = calloc((size_t)n, sizeof *out);
  for (int i = 0; i < n; i++) {
    char name[48];
    flx_group_t *g;
    snprintf(name, sizeof name, "%s_%d", prefix, i);
    flx_group_new(h->rt, name, i, &g);
    flx_fluxion_new(h->rt, name, handler, &(flx_fluxion_options_t){.group = g}, &out[i]);
  }
  return out;
}

/* ---- published values: cloned once, rebuilt by each worker ---------------------- */

int flx_js_publish(flx_js_worker_t *w, JSValueConst v, const char *what) {
  flx_js_host_t *h = w->host;
  flx_js_bytes_t bytes = {0};
  const char *from = w->current ? flx_fluxion_name(flx_ctx_fluxion(w->current)) : "main";
  if (flx_js_clone_write(w->ctx, v, from, what, &bytes) < 0) {
    flx_js_bytes_free(&bytes);
    return -1;
  }
  pthread_mutex_lock(&h->lock);
  h->published = realloc(h->published, (h->npublished + 1) * sizeof *h->published);
  if (h->published == NULL)
    abort();
  int id = (int)h->npublished++;
  h->published[id] = bytes;
  pthread_mutex_unlock(&h->lock);
  return id;
}

JSValue flx_js_published(flx_js_worker_t *w, int id) {
  flx_js_host_t *h = w->host;
  pthread_mutex_lock(&h->lock);   /* the array may move; the bytes do not */
  flx_js_bytes_t bytes = id >= 0 && (size_t)id < h->npublished ? h->published[id]
                                                               : (flx_js_bytes_t){0};
  pthread_mutex_unlock(&h->lock);
  if (bytes.p == NULL)
    return JS_ThrowRangeError(w->ctx, "nothing published as %d", id);
  return flx_js_clone_read(w->ctx, bytes.p, bytes.len);
}

static JSValue js_publish(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int id = flx_js_publish(w, argc ? argv[0] : JS_UNDEFINED, "the published value");
  return id < 0 ? JS_EXCEPTION : JS_NewInt32(ctx, id);
}

static JSValue js_publish_main(JSContext *ctx, JSValueConst this_val, int argc,
                               JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int id = flx_js_publish(w, argc ? argv[0] : JS_UNDEFINED, "a value main shares");
  if (id < 0)
    return JS_EXCEPTION;
  atomic_store(&w->host->main_values, id);
  return JS_UNDEFINED;
}

static JSValue js_published(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  int32_t id = -1;
  if (argc)
    JS_ToInt32(ctx, &id, argv[0]);
  return flx_js_published(JS_GetContextOpaque(ctx), id);
}

/* __flx.mainValues(): a copy of main's values for the groups' `x from main`
 * variables, as main left them; undefined if main did not get that far. */
static JSValue js_main_values(JSContext *ctx, JSValueConst this_val, int argc,
                              JSValueConst *argv) {
  (void)this_val;
  (void)argc;
  (void)argv;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int id = atomic_load(&w->host->main_values);
  return id < 0 ? JS_UNDEFINED : flx_js_published(w, id);
}

/* Whether a fluxion before the k-th (of ids; all of them if NULL) lists the
 * context variable `name`: a group's members list what they share each. */
static bool listed_before(const flx_js_host_t *h, const size_t *ids, size_t k, const char *name) {
  for (size_t j = 0; j < k; j++) {
    const flxl_fluxion_t *f = h->fx[ids ? ids[j] : j];
    for (size_t c = 0; c < f->nctx; c++)
      if (strcmp(f->ctx[c].name, name) == 0)
        return true;
  }
  return false;
}

/* The names of the `from main` variables, once each: "a, b" (NULL: none). */
static char *from_main_names(const flx_js_host_t *h) {
  char *names = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&names, &size);
  bool any = false;
  for (size_t i = 0; i < h->nfx; i++)
    for (size_t c = 0; c < h->fx[i]->nctx; c++)
      if (h->fx[i]->ctx[c].from_main && !listed_before(h, NULL, i, h->fx[i]->ctx[c].name)) {
        fprintf(out, "%s%s", any ? ", " : "", h->fx[i]->ctx[c].name);
        any = true;
      }
  fclose(out);
  if (!any) {
    free(names);
    return NULL;
  }
  return names;
}

/* __flx.send(worker, value): value runs __flx.onCall(value) on that worker
 * (a continuation calling back where its state lives). */
static JSValue js_send(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  flx_js_host_t *h = w->host;
  int32_t to = -1;
  if (argc < 2 || JS_ToInt32(ctx, &to, argv[0]) || to < 0 || to >= flx_runtime_workers(h->rt))
    return JS_ThrowRangeError(ctx, "__flx.send: no worker %d", to);
  flx_js_bytes_t bytes = {0};
  const char *from = w->current ? flx_fluxion_name(flx_ctx_fluxion(w->current)) : "main";
  if (flx_js_clone_write(ctx, argv[1], from, "the call back", &bytes) < 0) {
    flx_js_bytes_free(&bytes);
    return JS_EXCEPTION;
  }
  flx_send_t m = {.to = h->call_fluxions[to], .kind = FLX_START, .data = bytes.p,
                  .len = bytes.len};
  if (w->current) {
    m.kind = FLX_POST;
    m.tag = flx_ctx_tag(w->current);
  }
  int err = flx_send(h->rt, &m);
  flx_js_bytes_free(&bytes);
  return err ? JS_ThrowInternalError(ctx, "__flx.send: %s", flx_strerror(err)) : JS_UNDEFINED;
}

/* __flx.remoteSwept(kept): the remote table was swept and kept that many
 * entries (read by the tests, which check that it stays small). */
static JSValue js_remote_swept(JSContext *ctx, JSValueConst this_val, int argc,
                               JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int64_t kept = 0;
  if (argc > 0 && JS_ToInt64(ctx, &kept, argv[0]) == 0 && kept >= 0) {
    w->remote_sweeps++;
    if ((uint64_t)kept > w->remote_kept_max)
      w->remote_kept_max = (uint64_t)kept;
  }
  return JS_UNDEFINED;
}

/* ---- signals: process.on('SIGTERM') ------------------------------------------------ */

/* The signals process listeners may take, by slot of signal_listeners. */
static const char *const signal_names[2] = {"SIGINT", "SIGTERM"};

static int signal_slot(const char *name) {
  for (int i = 0; i < 2; i++)
    if (strcmp(name, signal_names[i]) == 0)
      return i;
  return -1;
}

/* __flx.signalListeners(name, delta): what a worker's process listens for. */
static JSValue js_signal_listeners(JSContext *ctx, JSValueConst this_val, int argc,
                                   JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  const char *name = argc > 1 ? JS_ToCString(ctx, argv[0]) : NULL;
  int32_t delta = 0;
  if (name == NULL || JS_ToInt32(ctx, &delta, argv[1])) {
    if (name)
      JS_FreeCString(ctx, name);
    return JS_EXCEPTION;
  }
  int slot = signal_slot(name);
  JS_FreeCString(ctx, name);
  if (slot >= 0)
    atomic_fetch_add(&w->host->signal_listeners[slot], delta);
  return JS_UNDEFINED;
}

/* __flx.turn(): which turn of this worker's is running; what the next turn
 * will do must wait for it (http.js: a response's end told to listeners that
 * come before its turn is over). */
static JSValue js_turn(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  (void)argc;
  (void)argv;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  return JS_NewInt64(ctx, (int64_t)w->turns);
}

/* On the control thread: listened for by some worker, the signal goes to
 * every worker's listeners (a message each); else flx stops. */
static int on_signal(flx_runtime_t *rt, int signum, void *data) {
  flx_js_host_t *h = data;
  uint8_t slot = signum == SIGINT ? 0 : 1;   /* the runtime handles these two */
  if (atomic_load(&h->signal_listeners[slot]) <= 0)
    return 0;
  for (int i = 0; i < flx_runtime_workers(rt); i++)
    flx_send(rt, &(flx_send_t){.to = h->signal_fluxions[i], .kind = FLX_START, .data = &slot,
                               .len = 1});
  return 1;
}

/* process.emit(name, name) on this worker, if its process listens. */
static void run_signal(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_js_worker_t *w = flx_ctx_worker_data(ctx);
  const char *name = signal_names[msg->data[0] ? 1 : 0];
  JSValue g = JS_GetGlobalObject(w->ctx), proc = JS_GetPropertyStr(w->ctx, g, "process");
  JSValue emit = JS_GetPropertyStr(w->ctx, proc, "emit");
  JSValue args[2] = {JS_NewString(w->ctx, name), JS_NewString(w->ctx, name)};
  w->current = ctx;
  JSValue r = JS_Call(w->ctx, emit, proc, 2, args);
  if (JS_IsException(r))
    flx_js_report(w, "process");
  flx_js_drain(w, "process");
  w->current = NULL;
  JS_FreeValue(w->ctx, r);
  JS_FreeValue(w->ctx, args[0]);
  JS_FreeValue(w->ctx, args[1]);
  JS_FreeValue(w->ctx, emit);
  JS_FreeValue(w->ctx, proc);
  JS_FreeValue(w->ctx, g);
}

/* ---- UTF-8, for Buffer ------------------------------------------------------------ */

static JSValue js_utf8_encode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  size_t n;
  const char *s = JS_ToCStringLen(ctx, &n, argc ? argv[0] : JS_UNDEFINED);
  if (s == NULL)
    return JS_EXCEPTION;
  JSValue ab = JS_NewArrayBufferCopy(ctx, (const uint8_t *)s, n);
  JS_FreeCString(ctx, s);
  return ab;
}

static JSValue js_utf8_length(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  size_t n;
  const char *s = JS_ToCStringLen(ctx, &n, argc ? argv[0] : JS_UNDEFINED);
  if (s == NULL)
    return JS_EXCEPTION;
  JS_FreeCString(ctx, s);
  return JS_NewInt64(ctx, (int64_t)n);
}

/* utf8Decode(typedArray, start, end); malformed bytes become U+FFFD, as in Node. */
static JSValue js_utf8_decode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_view_t bytes;
  if (argc < 1 || JS_IsString(argv[0]))
    return JS_ThrowTypeError(ctx, "utf8Decode(bytes)");
  if (flx_js_view(ctx, argv[0], &bytes) < 0)
    return JS_EXCEPTION;
  int64_t start = 0, end = (int64_t)bytes.len;
  if (argc > 1)
    JS_ToInt64(ctx, &start, argv[1]);
  if (argc > 2)
    JS_ToInt64(ctx, &end, argv[2]);
  if (start < 0 || end > (int64_t)bytes.len || start > end)
    return JS_NewString(ctx, "");
  const uint8_t *b = bytes.p + start;
  size_t n = (size_t)(end - start);
  /* Valid UTF-8 (the usual case) goes straight in; otherwise each bad byte
   * becomes U+FFFD (EF BF BD). */
  char *clean = NULL;
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    uint8_t c = b[i];
    size_t need = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = need > 0 && i + need <= n;
    for (size_t j = 1; ok && j < need; j++)
      ok = (b[i + j] & 0xC0) == 0x80;
    if (ok && need == 2)
      ok = c >= 0xC2;
    if (!ok && clean == NULL) {
      clean = malloc(n * 3 + 1);
      memcpy(clean, b, i);
      k = i;
    }
    if (clean) {
      if (ok) {
        memcpy(clean + k, b + i, need);
        k += need;
      } else {
        memcpy(clean + k, "\xEF\xBF\xBD", 3);
        k += 3;
      }
    }
    i += ok ? need : 1;
  }
  JSValue out = clean ? JS_NewStringLen(ctx, clean, k) : JS_NewStringLen(ctx, (const char *)b, n);
  free(clean);
  return out;
}

/* Revivers are registered by the module that makes such objects:
 * 'express.app' by express, 'http.req' by http. */
static void load_reviver(JSContext *ctx, const char *name) {
  char module[64];
  size_t n = strcspn(name, ".");
  snprintf(module, sizeof module, "%.*s", (int)(n < 63 ? n : 63), name);
  JSValue m = flx_js_require(JS_GetContextOpaque(ctx), module);
  if (JS_IsException(m))
    flx_js_report(JS_GetContextOpaque(ctx), module);
  JS_FreeValue(ctx, m);
}

static void run_call(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_js_worker_t *w = flx_ctx_worker_data(ctx);
  JSContext *jc = w->ctx;
  flx_ctx_t *outer = w->current;
  w->current = ctx;
  JSValue v = flx_js_clone_read(jc, (const uint8_t *)msg->data, msg->len);
  JSValue r = JS_IsException(v) ? JS_EXCEPTION : JS_Call(jc, w->on_call, JS_UNDEFINED, 1, &v);
  if (JS_IsException(r))
    flx_js_report(w, "call back");
  JS_FreeValue(jc, r);
  JS_FreeValue(jc, v);
  flx_js_drain(w, "call back");
  w->current = outer;
}

/* ---- placeholders: functions that send ------------------------------------ */

/* A message kept in this worker's heap: its values by reference, under an
 * id; the payload is a 0 byte (no clone starts so) and the id. A lone 0 byte
 * asks a group to make its scope (main sends it once it has run). */
enum { LOCAL_PAYLOAD = 1 + sizeof(uint64_t), MAKE_SCOPE_PAYLOAD = 1 };

static void keep_local(flx_js_worker_t *w, JSValueConst pair, uint8_t payload[LOCAL_PAYLOAD]) {
  uint64_t id = ++w->next_local;
  JSValue kv[2] = {JS_NewInt64(w->ctx, (int64_t)id), JS_DupValue(w->ctx, pair)};
  JS_FreeValue(w->ctx, flx_js_map(w->ctx, w->local, "set", 2, kv));
  JS_FreeValue(w->ctx, kv[1]);
  payload[0] = 0;
  memcpy(payload + 1, &id, sizeof id);
}

/* The [args, vars] pair a local payload names, taken out of the heap. */
static JSValue take_local(flx_js_worker_t *w, const char *payload) {
  uint64_t id;
  memcpy(&id, payload + 1, sizeof id);
  JSValue key = JS_NewInt64(w->ctx, (int64_t)id);
  JSValue pair = flx_js_map(w->ctx, w->local, "get", 1, &key);
  JS_FreeValue(w->ctx, flx_js_map(w->ctx, w->local, "delete", 1, &key));
  JS_FreeValue(w->ctx, key);
  return pair;
}

/* What of v, argument i of a message copied to a fluxion whose function
 * takes `takes` parameters (-1: it may read them all), crosses: v, unless the
 * function cannot read it (no such parameter, no `arguments`) and v says how
 * it crosses then (__flx_unread: Express's next, which the host alone calls
 * there, with the handler's exception, needs no place to resume from). */
static JSValue unread_form(JSContext *ctx, JSValueConst v, int i, int takes) {
  if (takes < 0 || i < takes || !JS_IsObject(v))
    return JS_DupValue(ctx, v);
  JSValue how = JS_GetPropertyStr(ctx, v, "__flx_unread");
  if (!JS_IsFunction(ctx, how)) {
    JS_FreeValue(ctx, how);
    return JS_DupValue(ctx, v);
  }
  JSValue form = JS_Call(ctx, how, v, 0, NULL);
  JS_FreeValue(ctx, how);
  if (JS_IsException(form)) {   /* then as it is */
    JS_FreeValue(ctx, JS_GetException(ctx));
    return JS_DupValue(ctx, v);
  }
  return form;
}

/* func_data: [dest index, kind, thunk of the stream's variables].
 * A message to a fluxion outside any group is kept here by reference and
 * run by this worker (`here`) when the sender is outside any group too: the
 * work is where the load already is (each worker takes its own requests), and
 * copying it would cost more than the work. From a group, pinned to its home
 * worker, it is copied, so other workers can take it. A closure cannot be
 * copied: such a message stays here whoever sends it.
 * A message to a group whose home is this worker is kept here by reference
 * too (the group runs here; node passes the values themselves), once it is
 * known that it could be copied: a value that cannot cross is refused
 * wherever the group lives. */
static JSValue stream_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv,
                           int magic, JSValue *data) {
  (void)this_val;
  (void)magic;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  flx_js_host_t *h = w->host;
  int32_t dest, kind;
  JS_ToInt32(ctx, &dest, data[0]);
  JS_ToInt32(ctx, &kind, data[1]);
  JSValue vars = JS_IsFunction(ctx, data[2]) ? JS_Call(ctx, data[2], JS_UNDEFINED, 0, NULL)
                                             : JS_NewArray(ctx);
  if (JS_IsException(vars))
    return JS_EXCEPTION;
  bool stateless = h->group_of[dest] < 0, home_here = !stateless && h->home[dest] == w->id;
  bool here = home_here || (stateless && w->current && !w->in_group);
  JSValue args = JS_NewArray(ctx);
  for (int i = 0; i < argc; i++)
    JS_SetPropertyUint32(ctx, args, (uint32_t)i,
                         here ? JS_DupValue(ctx, argv[i]) : unread_form(ctx, argv[i], i, h->takes[dest]));
  JSValue pair = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, pair, 0, args);
  JS_SetPropertyUint32(ctx, pair, 1, vars);
  flx_js_bytes_t bytes = {0};
  uint8_t local[LOCAL_PAYLOAD];
  const char *from = w->current ? flx_fluxion_name(flx_ctx_fluxion(w->current)) : "main";
  char what[160] = "";   /* for the error, if it is copied or checked */
  if (home_here || !here)
    snprintf(what, sizeof what, "the message to %s", h->fx[dest]->name);
  int rc = home_here ? flx_js_clone_check(ctx, pair, from, what) : 0;
  if (!here) {
    rc = flx_js_clone_write(ctx, pair, from, what, &bytes);
    if (rc < 0 && stateless && w->current) {
      JS_FreeValue(ctx, JS_GetException(ctx));
      flx_js_bytes_free(&bytes);
      here = true;
      rc = 0;
      for (int i = 0; i < argc; i++)   /* the arguments themselves, then */
        JS_SetPropertyUint32(ctx, args, (uint32_t)i, JS_DupValue(ctx, argv[i]));
    }
  }
  if (here && rc == 0)
    keep_local(w, pair, local);
  JS_FreeValue(ctx, pair);
  if (rc < 0) {
    flx_js_bytes_free(&bytes);
    return JS_EXCEPTION;
  }
  /* Called back now, it runs before what is queued (as node would call it
   * now); an immediate goes after those that were due with it. */
  flx_send_t m = {.to = h->rf[dest], .kind = FLX_START, .here = here,
                  .now = here && !w->calling_immediate,
                  .data = here ? local : bytes.p, .len = here ? sizeof local : bytes.len};
  if (kind == FLXL_POST && w->current) {   /* the chain goes on */
    m.kind = FLX_POST;
    m.tag = flx_ctx_tag(w->current);
  }
  int err = flx_send(h->rt, &m);
  flx_js_bytes_free(&bytes);
  if (err)
    return JS_ThrowInternalError(ctx, "cannot send to %s: %s", h->fx[dest]->name,
                                 flx_strerror(err));
  return JS_UNDEFINED;
}

/* __flx.cb(kind, dest, thunk): the function a placeholder stands for. */
static JSValue make_stream(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  if (argc < 3)
    return JS_ThrowTypeError(ctx, "__flx.cb needs 3 arguments");
  JSValue data[3] = {argv[1], argv[0], argv[2]};
  JSValue f = JS_NewCFunctionData(ctx, stream_call, 0, CALL_STREAM, 3, data);
  /* What placeholder_clone describes it by. */
  JS_SetPropertyStr(ctx, f, "__flx_dest", JS_DupValue(ctx, argv[1]));
  JS_SetPropertyStr(ctx, f, "__flx_kind", JS_DupValue(ctx, argv[0]));
  JS_SetPropertyStr(ctx, f, "__flx_vars", JS_DupValue(ctx, argv[2]));
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  JS_SetPropertyStr(ctx, f, "__flx_clone", JS_DupValue(ctx, w->placeholder_clone));
  int32_t dest = -1;
  JS_ToInt32(ctx, &dest, argv[1]);
  if (dest >= 0 && (size_t)dest < w->host->nfx)   /* as the callback it stands for */
    JS_DefinePropertyValueStr(ctx, f, "length", JS_NewInt32(ctx, w->host->arity[dest]),
                              JS_PROP_CONFIGURABLE);
  return f;
}

/* A placeholder crossing workers (an Express route's handler): rebuilt there
 * by the reviver 'flx.cb' as __flx.cb(kind, dest, () => vars), the stream's
 * variables read now. */
static JSValue placeholder_clone(JSContext *ctx, JSValueConst this_val, int argc,
                                 JSValueConst *argv) {
  (void)argc;
  (void)argv;
  JSValue thunk = JS_GetPropertyStr(ctx, this_val, "__flx_vars");
  JSValue vars = JS_IsFunction(ctx, thunk) ? JS_Call(ctx, thunk, JS_UNDEFINED, 0, NULL)
                                           : JS_NewArray(ctx);
  JS_FreeValue(ctx, thunk);
  if (JS_IsException(vars))
    return vars;
  JSValue spec = JS_NewArray(ctx), data = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, data, 0, JS_GetPropertyStr(ctx, this_val, "__flx_kind"));
  JS_SetPropertyUint32(ctx, data, 1, JS_GetPropertyStr(ctx, this_val, "__flx_dest"));
  JS_SetPropertyUint32(ctx, data, 2, vars);
  JS_SetPropertyUint32(ctx, spec, 0, JS_NewString(ctx, "flx.cb"));
  JS_SetPropertyUint32(ctx, spec, 1, data);
  return spec;
}

/* ---- making the fluxions' code --------------------------------------------- */

/* What `length` the function a body holds has: its parameters before the
 * first with a default or a rest. "(err, req, res, next) => ..." is 4.
 * *plain: whether those are all its parameters. */
static int arity_of(const char *body, bool *plain) {
  const char *p = body;
  *plain = false;
  while (*p == ' ' || *p == '\n' || *p == '\t')
    p++;
  if (strncmp(p, "async", 5) == 0 && (p[5] == ' ' || p[5] == '('))
    for (p += 5; *p == ' '; p++)
      ;
  if (strncmp(p, "function", 8) == 0)
    p = strchr(p, '(');
  if (p == NULL)
    return 0;
  *plain = true;
  if (*p != '(')   /* x => ...: one parameter */
    return 1;
  int depth = 0, n = 0;
  bool any = false, stop = false;
  char quote = 0;
  for (p++; *p && !stop; p++) {
    if (quote) {
      if (*p == '\\' && p[1])
        p++;
      else if (*p == quote)
        quote = 0;
      continue;
    }
    switch (*p) {
    case '\'': case '"': case '`': quote = *p; break;
    case '(': case '[': case '{': depth++; any = true; break;
    case ')': case ']': case '}':
      if (depth-- == 0)
        stop = true;
      break;
    case ',':
      if (depth == 0)
        n++;
      break;
    case '=':
      if (depth == 0 && p[1] != '>') {
        *plain = false;
        return n;   /* a default: length counts the ones before */
      }
      break;
    case '.':
      if (depth == 0 && strncmp(p, "...", 3) == 0) {
        *plain = false;
        return n;
      }
      break;
    case ' ': case '\n': case '\t': break;
    default: any = true; break;
    }
  }
  return any ? n + 1 : 0;
}

/* A stream of f toward dest: its position, for its message variables. */
static const flxl_stream_t *stream_to(const flxl_fluxion_t *f, const char *dest, flxl_kind_t k) {
  for (size_t s = 0; s < f->nstreams; s++)
    for (size_t d = 0; d < f->streams[s].dest.n; d++)
      if (f->streams[s].kind == k && strcmp(f->streams[s].dest.items[d], dest) == 0)
        return &f->streams[s];
  return NULL;
}

/* f's body with each placeholder replaced by __flx.cb(kind, dest, () => [vars]). */
static void write_body(const flx_js_host_t *h, const flxl_fluxion_t *f, FILE *out) {
  size_t at = 0;
  for (size_t i = 0; i < f->nholes; i++) {
    const flxl_hole_t *hole = &f->holes[i];
    fwrite(f->body + at, 1, hole->offset - at, out);
    const flxl_stream_t *st = stream_to(f, hole->dest, hole->kind);
    fprintf(out, "__flx.cb(%d, %d, () => [", (int)hole->kind, flx_js_host_index(h, hole->dest));
    for (size_t m = 0; st && m < st->msg.n; m++)
      fprintf(out, "%s%s", m ? ", " : "", st->msg.items[m]);
    fputs("])", out);
    at = hole->offset + hole->len;
  }
  fputs(f->body + at, out);
}

/* The names a fluxion's messages bring: every stream into it, merged. */
static void incoming_vars(const flx_js_host_t *h, size_t index, FILE *out) {
  const char *name = h->fx[index]->name;
  char seen[4096] = ",";
  for (size_t i = 0; i < h->nfx; i++)
    for (size_t s = 0; s < h->fx[i]->nstreams; s++)
      for (size_t d = 0; d < h->fx[i]->streams[s].dest.n; d++) {
        if (strcmp(h->fx[i]->streams[s].dest.items[d], name) != 0)
          continue;
        const flxl_list_t *msg = &h->fx[i]->streams[s].msg;
        for (size_t m = 0; m < msg->n; m++) {
          char key[300];
          snprintf(key, sizeof key, ",%s,", msg->items[m]);
          if (strstr(seen, key))
            continue;
          fprintf(out, "%s%s", seen[1] ? ", " : "", msg->items[m]);
          strncat(seen, key + 1, sizeof seen - strlen(seen) - 1);
        }
      }
}

/* Line breaks up to the .flx line a body starts on: stack traces then point
 * into the .flx file. (The generated wrapper stays on the lines before.) */
static void to_line(FILE *out, int *line, int want) {
  for (; *line < want; (*line)++)
    fputc('\n', out);
}

static int lines_in(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* ES module syntax left in a body (imports of packages, import.meta) as
 * CommonJS: internal_host.js's esm(). Returns src, or a new string (the
 * caller frees it) when it changed. */
static char *esm_to_cjs(flx_js_worker_t *w, char *src) {
  if (strstr(src, "import") == NULL)
    return src;
  JSValue fn = JS_GetPropertyStr(w->ctx, w->flx, "esm");
  JSValue text = JS_NewString(w->ctx, src);
  JSValue r = JS_Call(w->ctx, fn, JS_UNDEFINED, 1, &text);
  const char *out = JS_IsException(r) ? NULL : JS_ToCString(w->ctx, r);
  if (out) {
    free(src);
    src = strdup(out);
    JS_FreeCString(w->ctx, out);
  } else {
    flx_js_report(w, "import");
  }
  JS_FreeValue(w->ctx, r);
  JS_FreeValue(w->ctx, text);
  JS_FreeValue(w->ctx, fn);
  return src;
}

/* A piece of a scope's source: a member fluxion's maker, or the group's own
 * declarations (its helpers), placed on the line its code came from. */
typedef struct piece_s {
  const flxl_fluxion_t *item;
  size_t member;            /* the fluxion's index, for a maker */
  int line;
} piece_t;

static int piece_order(const void *a, const void *b) {
  const piece_t *x = a, *y = b;
  return (x->line > y->line) - (x->line < y->line);
}

/* (function (__flx) { var <context>; var __m = {};
 *   <pieces in line order: group code, or __m[N] = function (<vars>) { return (<body>); };>
 *   return __m; })
 * for the fluxions `members` (one stateless fluxion, or a whole group), each
 * piece on the .flx (or source) lines it came from, so stack traces point there. */
static char *scope_source(const flx_js_host_t *h, const size_t *members, size_t n) {
  const flxl_fluxion_t *lead = h->fx[members[0]];
  const char *group = lead->tags.n ? lead->tags.items[0] : NULL;
  piece_t *pieces = calloc(n + h->prog.n, sizeof *pieces);
  size_t np = 0;
  for (size_t k = 0; k < n; k++) {
    const flxl_fluxion_t *f = h->fx[members[k]];
    pieces[np++] = (piece_t){f, members[k], f->origin_file ? f->origin_line : f->body_line};
  }
  for (size_t i = 0; group && i < h->prog.n; i++) {
    const flxl_fluxion_t *g = &h->prog.items[i];
    if (g->item == FLXL_GROUP_CODE && strcmp(g->name, group) == 0)
      pieces[np++] = (piece_t){g, 0, g->origin_file ? g->origin_line : g->body_line};
  }
  qsort(pieces, np, sizeof *pieces, piece_order);

  char *src = NULL;
  size_t size = 0;
  int line = 1;
  FILE *out = open_memstream(&src, &size);
  fputs("(function (__flx) {", out);
  bool main_values = false;
  for (size_t k = 0; k < n; k++) {   /* each variable once: its value is made once */
    const flxl_fluxion_t *f = h->fx[members[k]];
    for (size_t c = 0; c < f->nctx; c++) {
      const flxl_var_t *v = &f->ctx[c];
      if (listed_before(h, members, k, v->name))
        continue;
      if (v->from_main && !main_values) {   /* one copy, for all of them */
        fputs(" var __main = __flx.mainValues() || {};", out);
        main_values = true;
      }
      if (v->from_main)
        fprintf(out, " var %s = __main.%s;", v->name, v->name);
      else
        fprintf(out, " var %s%s%s;", v->name, v->init ? " = " : "", v->init ? v->init : "");
    }
  }
  fputs(" var __m = {};", out);
  for (size_t k = 0; k < np; k++) {
    const flxl_fluxion_t *f = pieces[k].item;
    to_line(out, &line, pieces[k].line);
    if (f->item == FLXL_GROUP_CODE) {
      fputs(f->body, out);
      line += lines_in(f->body);
      continue;
    }
    fprintf(out, " __m[%zu] = function (", pieces[k].member);
    incoming_vars(h, pieces[k].member, out);
    fputs(") { return (", out);
    write_body(h, f, out);
    line += lines_in(f->body);
    fputs("); };", out);
  }
  fputs(" return __m;\n})", out);
  fclose(out);
  free(pieces);
  return src;
}

/* Evaluates a scope's source and keeps its makers in w->makers. */
static int instantiate(flx_js_worker_t *w, const size_t *members, size_t n) {
  char *src = esm_to_cjs(w, scope_source(w->host, members, n));
  const flxl_fluxion_t *first = w->host->fx[members[0]];
  JSValue factory = JS_Eval(w->ctx, src, strlen(src),
                            first->origin_file ? first->origin_file : w->host->file,
                            JS_EVAL_TYPE_GLOBAL);
  free(src);
  if (JS_IsException(factory)) {
    flx_js_report(w, w->host->fx[members[0]]->name);
    return -1;
  }
  JSValue scope = JS_Call(w->ctx, factory, JS_UNDEFINED, 1, (JSValueConst *)&w->flx);
  JS_FreeValue(w->ctx, factory);
  if (JS_IsException(scope)) {
    flx_js_report(w, w->host->fx[members[0]]->name);
    return -1;
  }
  for (size_t k = 0; k < n; k++) {
    char key[24];
    snprintf(key, sizeof key, "%zu", members[k]);
    JSValue maker = JS_GetPropertyStr(w->ctx, scope, key);
    int32_t nvars = -1;
    JSValue len = JS_GetPropertyStr(w->ctx, maker, "length");
    JS_ToInt32(w->ctx, &nvars, len);
    JS_FreeValue(w->ctx, len);
    w->makers[members[k]] = maker;
    w->fns[members[k]] = nvars == 0 ? JS_NULL : JS_UNDEFINED;
  }
  JS_FreeValue(w->ctx, scope);
  return 0;
}

/* ---- running a message -------------------------------------------------------- */

static size_t fluxion_index(const flx_js_host_t *h, const flx_fluxion_t *f) {
  for (size_t i = 0; i < h->nfx; i++)
    if (h->rf[i] == f)
      return i;
  abort();   /* every fluxion of the runtime is one of the program's */
}

/* fn = maker(...vars) (made once, where the maker takes none); fn(...args),
 * then the promise jobs it left. False if it threw (reported here). */
static bool call_fluxion(flx_js_worker_t *w, size_t index, JSValue args, JSValue vars) {
  JSContext *jc = w->ctx;
  const char *name = w->host->fx[index]->name;
  JSValue fn;
  if (JS_IsObject(w->fns[index])) {
    fn = JS_DupValue(jc, w->fns[index]);
  } else {
    JSValue apply_args[2] = {JS_UNDEFINED, vars};
    fn = JS_Call(jc, w->apply, w->makers[index], 2, apply_args);
    if (JS_IsNull(w->fns[index]) && JS_IsObject(fn))
      w->fns[index] = JS_DupValue(jc, fn);
  }
  bool ok = !JS_IsException(fn);
  if (!ok) {
    flx_js_report(w, name);
  } else if (JS_IsFunction(jc, fn)) {
    JSValue call_args[2] = {fn, args};
    JSValue r = JS_Call(jc, w->invoke, JS_UNDEFINED, 2, call_args);
    ok = !JS_IsException(r);
    if (!ok)
      flx_js_report(w, name);
    JS_FreeValue(jc, r);
  }
  JS_FreeValue(jc, fn);
  flx_js_drain(w, name);
  return ok;
}

/* A group's scope, made on its home worker by its first message: main's
 * (sent once main has run, so the group's declarations and main's statements
 * moved there run after main's, as they are written), or a request's that
 * came sooner. A scope that throws leaves its makers null: each message to
 * it then fails with the fluxion's name. */
static void make_group_scope(flx_js_worker_t *w, size_t index) {
  flx_js_host_t *h = w->host;
  size_t *members = calloc(h->nfx, sizeof *members), n = 0;
  for (size_t k = 0; k < h->nfx; k++)
    if (h->group_of[k] == h->group_of[index])
      members[n++] = k;
  if (instantiate(w, members, n) < 0)
    for (size_t k = 0; k < n; k++)
      w->makers[members[k]] = JS_NULL;
  free(members);
}

static void run_fluxion(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_js_worker_t *w = flx_ctx_worker_data(ctx);
  flx_js_host_t *h = w->host;
  size_t index = fluxion_index(h, flx_ctx_fluxion(ctx));
  const char *name = h->fx[index]->name;
  JSContext *jc = w->ctx;
  w->current = ctx;
  w->in_group = h->group_of[index] >= 0;
  if (w->in_group && JS_IsUndefined(w->makers[index])) {
    make_group_scope(w, index);
    flx_js_drain(w, name);
  }
  if (msg->len == MAKE_SCOPE_PAYLOAD && msg->data[0] == 0) {
    w->current = NULL;
    w->in_group = false;
    return;
  }
  JSValue pair = msg->len == LOCAL_PAYLOAD && msg->data[0] == 0
                     ? take_local(w, msg->data)
                 : msg->len ? flx_js_clone_read(jc, (const uint8_t *)msg->data, msg->len)
                            : JS_UNDEFINED;   /* no arguments, no variables */
  if (JS_IsException(pair)) {
    flx_js_report(w, name);
  } else {
    JSValue args = JS_IsUndefined(pair) ? JS_NewArray(jc) : JS_GetPropertyUint32(jc, pair, 0);
    JSValue vars = JS_IsUndefined(pair) ? JS_NewArray(jc) : JS_GetPropertyUint32(jc, pair, 1);
    bool ok = call_fluxion(w, index, args, vars);
    JS_FreeValue(jc, args);
    JS_FreeValue(jc, vars);
    JS_FreeValue(jc, pair);
    /* A request the message held, left in a cycle (req.res, a closure
     * over res) is freed now: libflx answers it 500. */
    if (!ok)
      JS_RunGC(w->rt);
    pair = JS_UNDEFINED;
  }
  JS_FreeValue(jc, pair);
  w->current = NULL;
  w->in_group = false;
}


/* main: its body is statements, run once. */
static void run_main(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  flx_js_worker_t *w = flx_ctx_worker_data(ctx);
  flx_js_host_t *h = w->host;
  const flxl_fluxion_t *f = h->fx[h->main_index];
  char *src = NULL;
  size_t size = 0;
  int line = 1;
  FILE *out = open_memstream(&src, &size);
  fputs("(function (__flx) {", out);
  to_line(out, &line, f->origin_file ? f->origin_line : f->body_line);
  write_body(h, f, out);
  char *shared = from_main_names(h);
  if (shared)   /* for the groups that start from main's values */
    fprintf(out, "\n;__flx.publishMain({%s});", shared);
  free(shared);
  fputs("\n})", out);
  fclose(out);
  src = esm_to_cjs(w, src);
  w->current = ctx;
  JSValue fn = JS_Eval(w->ctx, src, strlen(src), f->origin_file ? f->origin_file : h->file,
                       JS_EVAL_TYPE_GLOBAL);
  free(src);
  JSValue r = JS_IsException(fn) ? JS_EXCEPTION
                                 : JS_Call(w->ctx, fn, JS_UNDEFINED, 1, (JSValueConst *)&w->flx);
  if (JS_IsException(r) && flx_js_report(w, "main")) {
    /* As under node: a program that throws while starting exits with 1. */
    atomic_store(&h->exit_code, 1);
    flx_runtime_stop(h->rt);
  }
  JS_FreeValue(w->ctx, r);
  JS_FreeValue(w->ctx, fn);
  flx_js_drain(w, "main");
  flx_js_http_publish_listeners(w);
  w->current = NULL;
  for (size_t i = 0; i < h->nfx; i++)   /* now the groups: see make_group_scope */
    if (h->first_of_group[i])
      flx_start(h->rt, h->rf[i], (const uint8_t[]){0}, MAKE_SCOPE_PAYLOAD);
}

/* ---- workers ---------------------------------------------------------------- */

/* The program's own `module` and `exports`, as node gives its main file
 * (require.main's object), and its require's resolve, cache and main.
 * Globals, since main's code and the declarations replicated out of it run
 * in the global scope (the files it requires have their own, as parameters;
 * those the compiler joined, module$N). */
static void define_main_module(flx_js_worker_t *w) {
  JSContext *ctx = w->ctx;
  JSValue modules = flx_js_require(w, "internal_modules");
  if (JS_IsException(modules)) {
    flx_js_report(w, "globals");
    return;
  }
  JSValue main_module = JS_GetPropertyStr(ctx, modules, "main");
  JSValue main_require = JS_GetPropertyStr(ctx, modules, "mainRequire");
  JSValue g = JS_GetGlobalObject(ctx);
  JSValue require = JS_GetPropertyStr(ctx, g, "require");
  static const char *const of_require[] = {"resolve", "cache", "main"};
  for (size_t i = 0; i < sizeof of_require / sizeof *of_require; i++)
    JS_SetPropertyStr(ctx, require, of_require[i], JS_GetPropertyStr(ctx, main_require, of_require[i]));
  JS_SetPropertyStr(ctx, g, "exports", JS_GetPropertyStr(ctx, main_module, "exports"));
  JS_SetPropertyStr(ctx, g, "module", main_module);
  JS_FreeValue(ctx, require);
  JS_FreeValue(ctx, g);
  JS_FreeValue(ctx, main_require);
  JS_FreeValue(ctx, modules);
}

/* __flx.writeFd(fd, data): console's lines and process.stdout/stderr.write,
 * as given (a string as UTF-8, or bytes), out at once. */
static JSValue write_fd(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  int32_t fd = 1;
  if (argc < 2 || JS_ToInt32(ctx, &fd, argv[0]))
    return JS_EXCEPTION;
  FILE *out = fd == 2 ? stderr : stdout;
  if (JS_IsString(argv[1])) {
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, argv[1]);
    if (s == NULL)
      return JS_EXCEPTION;
    fwrite(s, 1, n, out);
    JS_FreeCString(ctx, s);
  } else {
    flx_js_view_t bytes;
    if (flx_js_view(ctx, argv[1], &bytes) < 0)
      return JS_EXCEPTION;
    fwrite(bytes.p, 1, bytes.len, out);
    flx_js_view_release(ctx, &bytes);
  }
  fflush(out);
  return JS_UNDEFINED;
}

/* __flx.isatty(fd): whether fd is a terminal (tty.isatty, stdout.isTTY). */
static JSValue is_a_tty(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  int32_t fd = -1;
  if (argc < 1 || JS_ToInt32(ctx, &fd, argv[0]))
    return JS_EXCEPTION;
  return JS_NewBool(ctx, fd >= 0 && isatty(fd) == 1);
}

/* console formats as Node's does: util.format. */
static const char console_js[] =
    "(function (print) {\n"
    "  const { format } = require('util');\n"
    "  const out = (...a) => print(1, format(...a) + '\\n');\n"
    "  const err = (...a) => print(2, format(...a) + '\\n');\n"
    "  globalThis.console = { log: out, info: out, debug: out, error: err, warn: err,\n"
    "                         trace: err, dir: (o) => out(o) };\n"
    "})";

static void worker_start(flx_runtime_t *rt, int id, void *data) {
  flx_js_host_t *h = data;
  flx_js_worker_t *w = &h->workers[id];
  (void)rt;
  w->host = h;
  w->id = id;
  w->rt = flx_js_new_runtime();
  JS_SetMaxStackSize(w->rt, 4u << 20);
  w->ctx = JS_NewContext(w->rt);
  w->handles.classes[0] = h->req_class;
  w->handles.ref = flx_js_http_ref;
  w->handles.unref = flx_js_http_unref;
  w->handles.wrap = flx_js_http_wrap;
  w->handles.load_reviver = load_reviver;
  JS_SetContextOpaque(w->ctx, w);   /* its first member is the handles table */
  flx_worker_set_data(rt, id, w);
  w->flx = JS_NewObject(w->ctx);
  w->handles.revivers = JS_NewObject(w->ctx);
  w->placeholder_clone = JS_NewCFunction(w->ctx, placeholder_clone, "__flx_clone", 0);
  JSValue natives = w->flx;
  JS_SetPropertyStr(w->ctx, natives, "cb", JS_NewCFunction(w->ctx, make_stream, "cb", 3));
  JS_SetPropertyStr(w->ctx, natives, "worker", JS_NewInt32(w->ctx, id));
  JS_SetPropertyStr(w->ctx, natives, "workers", JS_NewInt32(w->ctx, flx_runtime_workers(rt)));
  JS_SetPropertyStr(w->ctx, natives, "send", JS_NewCFunction(w->ctx, js_send, "send", 2));
  JS_SetPropertyStr(w->ctx, natives, "publish", JS_NewCFunction(w->ctx, js_publish, "publish", 1));
  JS_SetPropertyStr(w->ctx, natives, "remoteSwept",
                    JS_NewCFunction(w->ctx, js_remote_swept, "remoteSwept", 1));
  JS_SetPropertyStr(w->ctx, natives, "signalListeners",
                    JS_NewCFunction(w->ctx, js_signal_listeners, "signalListeners", 2));
  JS_SetPropertyStr(w->ctx, natives, "turn", JS_NewCFunction(w->ctx, js_turn, "turn", 0));
  JS_SetPropertyStr(w->ctx, natives, "writeFd", JS_NewCFunction(w->ctx, write_fd, "writeFd", 2));
  JS_SetPropertyStr(w->ctx, natives, "isatty", JS_NewCFunction(w->ctx, is_a_tty, "isatty", 1));
  JS_SetPropertyStr(w->ctx, natives, "published",
                    JS_NewCFunction(w->ctx, js_published, "published", 1));
  JS_SetPropertyStr(w->ctx, natives, "publishMain",
                    JS_NewCFunction(w->ctx, js_publish_main, "publishMain", 1));
  JS_SetPropertyStr(w->ctx, natives, "mainValues",
                    JS_NewCFunction(w->ctx, js_main_values, "mainValues", 0));
  JS_SetPropertyStr(w->ctx, natives, "revivers", JS_DupValue(w->ctx, w->handles.revivers));
  JS_SetPropertyStr(w->ctx, natives, "utf8Encode",
                    JS_NewCFunction(w->ctx, js_utf8_encode, "utf8Encode", 1));
  JS_SetPropertyStr(w->ctx, natives, "utf8Decode",
                    JS_NewCFunction(w->ctx, js_utf8_decode, "utf8Decode", 3));
  JS_SetPropertyStr(w->ctx, natives, "utf8Length",
                    JS_NewCFunction(w->ctx, js_utf8_length, "utf8Length", 1));
  flx_js_http_init(w);
  flx_js_crypto_init(w);

  JSValue g = JS_GetGlobalObject(w->ctx);
  flx_js_timers_init(w, g);
  flx_js_require_init(w, g);
  JS_FreeValue(w->ctx, g);
  JSValue make_console = JS_Eval(w->ctx, console_js, sizeof console_js - 1, "<console>",
                                 JS_EVAL_TYPE_GLOBAL);
  JSValue print = JS_NewCFunction(w->ctx, write_fd, "print", 2);
  JSValue r = JS_Call(w->ctx, make_console, JS_UNDEFINED, 1, (JSValueConst *)&print);
  if (JS_IsException(r))
    flx_js_report(w, "console");
  JS_FreeValue(w->ctx, r);
  JS_FreeValue(w->ctx, print);
  JS_FreeValue(w->ctx, make_console);
  JSValue gl = JS_GetGlobalObject(w->ctx), map = JS_GetPropertyStr(w->ctx, gl, "Map");
  w->local = JS_CallConstructor(w->ctx, map, 0, NULL);
  w->rejected = JS_CallConstructor(w->ctx, map, 0, NULL);
  JS_SetHostPromiseRejectionTracker(w->rt, track_rejection, w);
  JS_FreeValue(w->ctx, map);
  JS_FreeValue(w->ctx, gl);
  JSValue internal = flx_js_require(w, "internal_host");   /* revivers, onCall */
  if (JS_IsException(internal))
    flx_js_report(w, "host");
  JS_FreeValue(w->ctx, internal);
  JSValue proc = flx_js_require(w, "internal_process");   /* argv, nextTick... */
  if (JS_IsException(proc))
    flx_js_report(w, "process");
  JS_FreeValue(w->ctx, proc);
  w->run_ticks = JS_GetPropertyStr(w->ctx, w->flx, "runTicks");
  w->invoke = JS_GetPropertyStr(w->ctx, w->flx, "invoke");
  w->on_call = JS_GetPropertyStr(w->ctx, w->flx, "onCall");
  static const char globals_js[] =   /* what Node.js has without require */
      "require('timers');   /* Timeout objects from setTimeout */\n"
      "globalThis.Buffer = require('buffer').Buffer;\n"
      "globalThis.URL = require('url').URL;\n"
      "globalThis.URLSearchParams = require('url').URLSearchParams;\n";
  JSValue gv = JS_Eval(w->ctx, globals_js, sizeof globals_js - 1, "<globals>", JS_EVAL_TYPE_GLOBAL);
  if (JS_IsException(gv))
    flx_js_report(w, "globals");
  JS_FreeValue(w->ctx, gv);
  gv = flx_js_require(w, "internal_globals");   /* structuredClone, Array.prototype.at... */
  if (JS_IsException(gv))
    flx_js_report(w, "globals");
  JS_FreeValue(w->ctx, gv);
  define_main_module(w);

  w->makers = calloc(h->nfx, sizeof *w->makers);
  w->fns = calloc(h->nfx, sizeof *w->fns);
  for (size_t i = 0; i < h->nfx; i++)
    w->makers[i] = w->fns[i] = JS_UNDEFINED;
  static const char apply_js[] = "Function.prototype.apply";   /* before the program's code */
  w->apply = JS_Eval(w->ctx, apply_js, sizeof apply_js - 1, "<host>", JS_EVAL_TYPE_GLOBAL);
  const char *main_body = h->fx[h->main_index]->body;
  if (strstr(main_body, "import") || strstr(main_body, "require(")) {   /* on every worker */
    JSValue fn = JS_GetPropertyStr(w->ctx, w->flx, "esmImports");
    JSValue text = JS_NewString(w->ctx, main_body);
    JSValue decls = JS_Call(w->ctx, fn, JS_UNDEFINED, 1, &text);
    size_t n;
    const char *src = JS_IsException(decls) ? NULL : JS_ToCStringLen(w->ctx, &n, decls);
    JSValue v = src ? JS_Eval(w->ctx, src, n, h->file, JS_EVAL_TYPE_GLOBAL) : JS_EXCEPTION;
    if (JS_IsException(v))
      flx_js_report(w, "import");
    if (src)
      JS_FreeCString(w->ctx, src);
    JS_FreeValue(w->ctx, v);
    JS_FreeValue(w->ctx, decls);
    JS_FreeValue(w->ctx, text);
    JS_FreeValue(w->ctx, fn);
  }
  for (size_t i = 0; i < h->prog.n; i++)   /* replicated declarations, everywhere */
    if (h->prog.items[i].item == FLXL_REPLICATED) {
      char *body = esm_to_cjs(w, strdup(h->prog.items[i].body));
      JSValue v = JS_Eval(w->ctx, body, strlen(body), h->file, JS_EVAL_TYPE_GLOBAL);
      free(body);
      if (JS_IsException(v))
        flx_js_report(w, "replicated");
      JS_FreeValue(w->ctx, v);
    }
  for (size_t i = 0; i < h->nfx; i++) {
    if (i == h->main_index)
      continue;
    if (h->group_of[i] < 0)   /* stateless: on every worker (groups: make_group_scope) */
      instantiate(w, &i, 1);
  }
}

/* As node exits: the code is process.exit's, else process.exitCode (set on
 * any worker), and process's 'exit' listeners hear it. */
static void emit_exit(flx_js_worker_t *w) {
  JSValue g = JS_GetGlobalObject(w->ctx), proc = JS_GetPropertyStr(w->ctx, g, "process");
  JSValue code = JS_GetPropertyStr(w->ctx, proc, "exitCode");
  int32_t c = 0;
  if (JS_IsNumber(code) && JS_ToInt32(w->ctx, &c, code) == 0 && c != 0)
    atomic_compare_exchange_strong(&w->host->exit_code, &(int){0}, c);
  JSValue emit = JS_GetPropertyStr(w->ctx, proc, "emit");
  JSValue args[2] = {JS_NewString(w->ctx, "exit"),
                     JS_NewInt32(w->ctx, atomic_load(&w->host->exit_code))};
  JSValue r = JS_Call(w->ctx, emit, proc, 2, args);
  if (JS_IsException(r))
    flx_js_report(w, "process.on('exit')");
  JS_FreeValue(w->ctx, r);
  JS_FreeValue(w->ctx, args[0]);
  JS_FreeValue(w->ctx, emit);
  JS_FreeValue(w->ctx, code);
  JS_FreeValue(w->ctx, proc);
  JS_FreeValue(w->ctx, g);
}

static void worker_stop(flx_runtime_t *rt, int id, void *data) {
  flx_js_host_t *h = data;
  flx_js_worker_t *w = &h->workers[id];
  (void)rt;
  emit_exit(w);
  flx_js_timers_free(w);
  flx_js_http_free(w);
  for (size_t i = 0; i < h->nfx; i++) {
    JS_FreeValue(w->ctx, w->makers[i]);
    JS_FreeValue(w->ctx, w->fns[i]);
  }
  free(w->makers);
  free(w->fns);
  JS_FreeValue(w->ctx, w->apply);
  JS_FreeValue(w->ctx, w->flx);
  flx_js_clone_release(w->ctx);
  flx_js_crypto_free(w);
  JS_FreeValue(w->ctx, w->handles.revivers);
  JS_FreeValue(w->ctx, w->placeholder_clone);
  JS_FreeValue(w->ctx, w->invoke);
  JS_FreeValue(w->ctx, w->run_ticks);
  JS_FreeValue(w->ctx, w->on_call);
  JS_FreeValue(w->ctx, w->local);
  JS_FreeValue(w->ctx, w->rejected);
  JS_FreeValue(w->ctx, w->modules);
  JS_FreeContext(w->ctx);
  JS_FreeRuntime(w->rt);
}

int flx_js_host_index(const flx_js_host_t *h, const char *name) {
  for (size_t i = 0; i < h->nfx; i++)
    if (strcmp(h->fx[i]->name, name) == 0)
      return (int)i;
  return -1;
}

/* ---- the program ------------------------------------------------------------ */

int flx_js_host_new(flx_js_host_t **out, const char *file, const char *text, size_t len,
                    int workers, flxl_error_t *err) {
  flx_js_host_t *h = calloc(1, sizeof *h);
  h->file = strdup(file);
  atomic_init(&h->main_values, -1);
  if (flxl_parse(file, text, len, &h->prog, err) != 0) {
    free(h->file);
    free(h);
    return -1;
  }
  flx_options_t o = {.workers = workers, .handle_signals = 1, .exit_when_idle = 1,
                     .on_worker_start = worker_start, .on_worker_stop = worker_stop,
                     .on_signal = on_signal, .data = h};
  int rc = flx_runtime_new(&h->rt, &o);
  if (rc) {
    flxl_program_free(&h->prog);
    free(h->file);
    free(h);
    return rc;
  }
  int nw = flx_runtime_workers(h->rt);
  h->workers = calloc((size_t)nw, sizeof *h->workers);
  h->timer_fluxions = flx_js_pinned_fluxions(h, "__timers", flx_js_on_timer);
  h->call_fluxions = flx_js_pinned_fluxions(h, "__call", run_call);
  h->signal_fluxions = flx_js_pinned_fluxions(h, "__signal", run_signal);
  for (int k = 0; k < FLX_JS_MAX_SERVERS; k++) {   /* stateless: where the request is */
    char name[48];
    snprintf(name, sizeof name, "__http_%d", k);
    flx_fluxion_new(h->rt, name, flx_js_http_serve, NULL, &h->server_fluxions[k]);
  }
  pthread_mutex_init(&h->lock, NULL);
  h->req_class = 0;
  JS_NewClassID(&h->req_class);   /* once, before any worker starts */

  for (size_t i = 0; i < h->prog.n; i++)
    if (h->prog.items[i].item == FLXL_FLUXION)
      h->nfx++;
  h->fx = calloc(h->nfx, sizeof *h->fx);
  h->rf = calloc(h->nfx, sizeof *h->rf);
  h->group_of = calloc(h->nfx, sizeof *h->group_of);
  h->first_of_group = calloc(h->nfx, sizeof *h->first_of_group);
  h->home = calloc(h->nfx, sizeof *h->home);
  h->arity = calloc(h->nfx, sizeof *h->arity);
  h->takes = calloc(h->nfx, sizeof *h->takes);
  h->main_index = (size_t)-1;
  size_t n = 0;
  for (size_t i = 0; i < h->prog.n; i++)
    if (h->prog.items[i].item == FLXL_FLUXION)
      h->fx[n++] = &h->prog.items[i];
  for (size_t i = 0; i < h->nfx; i++) {
    bool plain;
    h->arity[i] = arity_of(h->fx[i]->body, &plain);
    h->takes[i] = plain && strstr(h->fx[i]->body, "arguments") == NULL ? h->arity[i] : -1;
  }

  /* Groups: one per tag, pinned round robin; main pinned to worker 0. */
  const char **tags = calloc(h->nfx, sizeof *tags);   /* at most one per fluxion */
  flx_group_t **groups = calloc(h->nfx, sizeof *groups);
  size_t ntags = 0;
  for (size_t i = 0; i < h->nfx; i++) {
    const flxl_fluxion_t *f = h->fx[i];
    flx_group_t *g = NULL;
    h->group_of[i] = -1;
    h->home[i] = -1;
    if (strcmp(f->name, "main") == 0) {
      h->main_index = i;
      flx_group_new(h->rt, "main", 0, &g);
    } else if (f->tags.n || f->nctx) {
      const char *tag = f->tags.n ? f->tags.items[0] : f->name;
      size_t t = 0;
      while (t < ntags && strcmp(tags[t], tag) != 0)
        t++;
      if (t == ntags) {
        tags[ntags] = tag;
        flx_group_new(h->rt, tag, (int)(ntags % (size_t)nw), &groups[ntags]);
        h->first_of_group[i] = true;
        ntags++;
      }
      g = groups[t];
      h->group_of[i] = (int)t;
      h->home[i] = (int)(t % (size_t)nw);
    }
    flx_fluxion_new(h->rt, f->name, strcmp(f->name, "main") == 0 ? run_main : run_fluxion,
                    &(flx_fluxion_options_t){.group = g},
                    &h->rf[i]);
  }
  free(tags);
  free(groups);
  if (h->main_index == (size_t)-1) {
    err->file = strdup(file);
    err->line = 1;
    err->col = 1;
    err->message = strdup("the program has no fluxion main");
    err->source_line = strdup("");
    flx_js_host_free(h);
    return -1;
  }
  flx_start(h->rt, h->rf[h->main_index], NULL, 0);
  *out = h;
  return 0;
}

int flx_js_host_run(flx_js_host_t *h) {
  flx_runtime_run(h->rt);
  return atomic_load(&h->exit_code);
}

void flx_js_host_free(flx_js_host_t *h) {
  flx_runtime_free(h->rt);
  flxl_program_free(&h->prog);
  free(h->fx);
  free(h->rf);
  free(h->group_of);
  free(h->first_of_group);
  free(h->home);
  free(h->arity);
  free(h->takes);
  free(h->workers);
  free(h->timer_fluxions);
  free(h->call_fluxions);
  free(h->signal_fluxions);
  for (size_t i = 0; i < h->npublished; i++)
    flx_js_bytes_free(&h->published[i]);
  free(h->published);
  pthread_mutex_destroy(&h->lock);
  free(h->file);
  free(h);
}
