/* mod_timers.c — setTimeout, setInterval, setImmediate and their clear*
 * functions on libflx's timers, plus `require` of the built-in modules and
 * the `process` object.
 *
 * A JavaScript callback lives in its worker's runtime, so a timer must fire
 * there: each worker has a timer fluxion in a group pinned to it, and a
 * timer started on a worker lives on that worker's loop. */
#include "host.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "js_lib.h"

/* ENOENT for ENOENT: libuv knows every errno's name. */
static const char *uv_err_name_compat(int err) { return uv_err_name(-err); }

extern char **environ;

static void on_timer(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_js_worker_t *w = flx_ctx_worker_data(ctx);
  uint64_t id;
  memcpy(&id, msg->data, sizeof id);
  JSValue key = JS_NewInt64(w->ctx, (int64_t)id);
  JSValue get = JS_GetPropertyStr(w->ctx, w->timers, "get");
  JSValue entry = JS_Call(w->ctx, get, w->timers, 1, &key);
  JS_FreeValue(w->ctx, get);
  if (JS_IsObject(entry)) {
    JSValue fn = JS_GetPropertyUint32(w->ctx, entry, 0);
    JSValue args = JS_GetPropertyUint32(w->ctx, entry, 1);
    JSValue repeat = JS_GetPropertyUint32(w->ctx, entry, 3);
    if (!JS_ToBool(w->ctx, repeat)) {   /* once: forget it first, as Node does */
      JSValue del = JS_GetPropertyStr(w->ctx, w->timers, "delete");
      JS_FreeValue(w->ctx, JS_Call(w->ctx, del, w->timers, 1, &key));
      JS_FreeValue(w->ctx, del);
    }
    w->current = ctx;
    JSValue apply = JS_GetPropertyStr(w->ctx, fn, "apply");
    JSValue call_args[2] = {JS_UNDEFINED, args};
    JSValue r = JS_Call(w->ctx, apply, fn, 2, call_args);
    if (JS_IsException(r)) {
      JSValue e = JS_GetException(w->ctx);
      const char *s = JS_ToCString(w->ctx, e);
      fprintf(stderr, "flx: timer callback: %s\n", s ? s : "(exception)");
      if (s)
        JS_FreeCString(w->ctx, s);
      JS_FreeValue(w->ctx, e);
    }
    JS_FreeValue(w->ctx, r);
    JS_FreeValue(w->ctx, apply);
    JS_FreeValue(w->ctx, fn);
    JS_FreeValue(w->ctx, args);
    JS_FreeValue(w->ctx, repeat);
    JSContext *jctx;
    while (JS_ExecutePendingJob(w->rt, &jctx) > 0)
      ;
    w->current = NULL;
  }
  JS_FreeValue(w->ctx, entry);
  JS_FreeValue(w->ctx, key);
}

void flx_js_timers_setup(flx_js_host_t *h) {
  int n = flx_runtime_workers(h->rt);
  h->timer_fluxions = calloc((size_t)n, sizeof *h->timer_fluxions);
  for (int i = 0; i < n; i++) {
    char name[48];
    flx_group_t *g;
    snprintf(name, sizeof name, "__timers_%d", i);
    flx_group_new(h->rt, name, i, &g);
    flx_fluxion_new(h->rt, name, on_timer, &(flx_fluxion_options_t){.group = g},
                    &h->timer_fluxions[i]);
  }
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
  int rc = flx_timer_start(w->host->rt,
                           &(flx_timer_options_t){.to = w->host->timer_fluxions[w->id],
                                                  .timeout_ms = (uint64_t)ms,
                                                  .repeat_ms = magic == 1 ? (uint64_t)ms : 0,
                                                  .data = &id, .len = sizeof id},
                           &rt_id);
  if (rc) {
    JS_FreeValue(ctx, args);
    return JS_ThrowInternalError(ctx, "cannot start a timer: %s", flx_strerror(rc));
  }
  JSValue entry = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, entry, 0, JS_DupValue(ctx, argv[0]));
  JS_SetPropertyUint32(ctx, entry, 1, args);
  JS_SetPropertyUint32(ctx, entry, 2, JS_NewInt64(ctx, (int64_t)rt_id));
  JS_SetPropertyUint32(ctx, entry, 3, JS_NewBool(ctx, magic == 1));
  JSValue set = JS_GetPropertyStr(ctx, w->timers, "set");
  JSValue kv[2] = {JS_NewInt64(ctx, (int64_t)id), entry};
  JS_FreeValue(ctx, JS_Call(ctx, set, w->timers, 2, kv));
  JS_FreeValue(ctx, set);
  JS_FreeValue(ctx, kv[1]);
  return kv[0];
}

static JSValue clear_timer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  if (argc < 1)
    return JS_UNDEFINED;
  JSValue get = JS_GetPropertyStr(ctx, w->timers, "get");
  JSValue entry = JS_Call(ctx, get, w->timers, 1, argv);
  JS_FreeValue(ctx, get);
  if (JS_IsObject(entry)) {
    int64_t rt_id;
    JSValue v = JS_GetPropertyUint32(ctx, entry, 2);
    JS_ToInt64(ctx, &rt_id, v);
    JS_FreeValue(ctx, v);
    flx_timer_stop(w->host->rt, (uint64_t)rt_id);
    JSValue del = JS_GetPropertyStr(ctx, w->timers, "delete");
    JS_FreeValue(ctx, JS_Call(ctx, del, w->timers, 1, argv));
    JS_FreeValue(ctx, del);
  }
  JS_FreeValue(ctx, entry);
  return JS_UNDEFINED;
}

void flx_js_timers_init(flx_js_worker_t *w, JSValue global) {
  JSContext *ctx = w->ctx;
  JSValue map_ctor = JS_GetPropertyStr(ctx, global, "Map");
  w->timers = JS_CallConstructor(ctx, map_ctor, 0, NULL);
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
}

void flx_js_timers_free(flx_js_worker_t *w) {
  JS_FreeValue(w->ctx, w->timers);
}

/* ---- fs (readFile, readFileSync) ------------------------------------------------ */

/* An Error as Node.js makes them for a failed system call. */
static JSValue errno_error(JSContext *ctx, int err, const char *syscall, const char *path) {
  char msg[600];
  snprintf(msg, sizeof msg, "%s: %s, %s '%s'", uv_err_name_compat(err), strerror(err), syscall,
           path);
  JSValue e = JS_NewError(ctx);
  JS_SetPropertyStr(ctx, e, "message", JS_NewString(ctx, msg));
  JS_SetPropertyStr(ctx, e, "errno", JS_NewInt32(ctx, -err));
  JS_SetPropertyStr(ctx, e, "code", JS_NewString(ctx, uv_err_name_compat(err)));
  JS_SetPropertyStr(ctx, e, "syscall", JS_NewString(ctx, syscall));
  JS_SetPropertyStr(ctx, e, "path", JS_NewString(ctx, path));
  return JS_Throw(ctx, e);
}

/* readFileSync(path[, 'utf8' | {encoding}]): a string with an encoding,
 * else the bytes (a Uint8Array until Buffer exists). */
static JSValue read_file_sync(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const char *path = argc ? JS_ToCString(ctx, argv[0]) : NULL;
  if (path == NULL)
    return JS_ThrowTypeError(ctx, "The \"path\" argument must be of type string");
  bool text = false;
  if (argc > 1 && !JS_IsUndefined(argv[1])) {
    JSValue enc = JS_IsObject(argv[1]) ? JS_GetPropertyStr(ctx, argv[1], "encoding")
                                       : JS_DupValue(ctx, argv[1]);
    text = !JS_IsUndefined(enc) && !JS_IsNull(enc);
    JS_FreeValue(ctx, enc);
  }
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    JSValue e = errno_error(ctx, errno, "open", path);
    JS_FreeCString(ctx, path);
    return e;
  }
  size_t cap = 65536, n = 0, got;
  char *buf = malloc(cap);
  while ((got = fread(buf + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap)
      buf = realloc(buf, cap *= 2);
  fclose(f);
  JS_FreeCString(ctx, path);
  JSValue out;
  if (text) {
    out = JS_NewStringLen(ctx, buf, n);
  } else {
    JSValue ab = JS_NewArrayBufferCopy(ctx, (uint8_t *)buf, n);
    JSValue g = JS_GetGlobalObject(ctx), u8 = JS_GetPropertyStr(ctx, g, "Uint8Array");
    out = JS_CallConstructor(ctx, u8, 1, (JSValueConst *)&ab);
    JS_FreeValue(ctx, u8);
    JS_FreeValue(ctx, g);
    JS_FreeValue(ctx, ab);
  }
  free(buf);
  return out;
}

/* readFile calls back later, as Node's does (the read itself is small and
 * done here; the callback is a message like any continuation). */
static const char fs_js[] =
    "(function (readFileSync) {\n"
    "  return {\n"
    "    readFileSync,\n"
    "    readFile(path, options, callback) {\n"
    "      if (typeof options === 'function') { callback = options; options = undefined; }\n"
    "      let data, error = null;\n"
    "      try { data = readFileSync(path, options); } catch (e) { error = e; }\n"
    "      if (error) setImmediate(callback, error); else setImmediate(callback, null, data);\n"
    "    },\n"
    "  };\n"
    "})";

/* A module written in JavaScript (src/js/lib/NAME.js): a factory called
 * with (module, exports). */
static JSValue lib_module(JSContext *ctx, const char *name) {
  for (size_t i = 0; i < sizeof flx_js_libs / sizeof *flx_js_libs; i++) {
    if (strcmp(flx_js_libs[i].name, name) != 0)
      continue;
    char file[64];
    snprintf(file, sizeof file, "<%s>", name);
    JSValue factory = JS_Eval(ctx, flx_js_libs[i].source, strlen(flx_js_libs[i].source), file,
                              JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(factory))
      return factory;
    JSValue module = JS_NewObject(ctx);
    JSValue args[2] = {module, JS_NewObject(ctx)};
    JS_SetPropertyStr(ctx, module, "exports", JS_DupValue(ctx, args[1]));
    JSValue r = JS_Call(ctx, factory, JS_UNDEFINED, 2, args);
    JS_FreeValue(ctx, factory);
    JS_FreeValue(ctx, args[1]);
    JSValue exports = JS_IsException(r) ? r : JS_GetPropertyStr(ctx, module, "exports");
    if (!JS_IsException(r))
      JS_FreeValue(ctx, r);
    JS_FreeValue(ctx, module);
    return exports;
  }
  return JS_UNDEFINED;
}

static JSValue fs_module(JSContext *ctx) {
  JSValue factory = JS_Eval(ctx, fs_js, sizeof fs_js - 1, "<fs>", JS_EVAL_TYPE_GLOBAL);
  JSValue sync = JS_NewCFunction(ctx, read_file_sync, "readFileSync", 2);
  JSValue m = JS_Call(ctx, factory, JS_UNDEFINED, 1, (JSValueConst *)&sync);
  JS_FreeValue(ctx, sync);
  JS_FreeValue(ctx, factory);
  return m;
}

/* ---- require and process ------------------------------------------------------ */

static JSValue require(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  const char *name = argc ? JS_ToCString(ctx, argv[0]) : NULL;
  if (name == NULL)
    return JS_ThrowTypeError(ctx, "require(name)");
  const char *bare = strncmp(name, "node:", 5) == 0 ? name + 5 : name;
  JSValue m = JS_GetPropertyStr(ctx, w->modules, bare);
  if (JS_IsUndefined(m)) {
    if (strcmp(bare, "http") == 0)
      m = flx_js_http_module(w);
    else if (strcmp(bare, "fs") == 0)
      m = fs_module(ctx);
    else
      m = lib_module(ctx, bare);
    if (!JS_IsUndefined(m) && !JS_IsException(m))
      JS_SetPropertyStr(ctx, w->modules, bare, JS_DupValue(ctx, m));
  }
  if (JS_IsUndefined(m)) {   /* as Node: an Error with code MODULE_NOT_FOUND */
    JSValue e = JS_NewError(ctx);
    char msg[300];
    snprintf(msg, sizeof msg, "Cannot find module '%s'", name);
    JS_SetPropertyStr(ctx, e, "message", JS_NewString(ctx, msg));
    JS_SetPropertyStr(ctx, e, "code", JS_NewString(ctx, "MODULE_NOT_FOUND"));
    m = JS_Throw(ctx, e);
  }
  JS_FreeCString(ctx, name);
  return m;
}

static JSValue process_cwd(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  (void)argc;
  (void)argv;
  char buf[4096];
  return getcwd(buf, sizeof buf) ? JS_NewString(ctx, buf)
                                 : JS_ThrowInternalError(ctx, "getcwd: %s", strerror(errno));
}

/* process.exit([code]): the runtime stops (gracefully: messages already sent
 * still run) and `flx run` exits with code. The caller's code stops here. */
static JSValue process_exit(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int32_t code = 0;
  if (argc > 0)
    JS_ToInt32(ctx, &code, argv[0]);
  atomic_store(&w->host->exit_code, code);
  flx_runtime_stop(w->host->rt);
  return JS_ThrowInternalError(ctx, "process.exit");   /* unwinds; not reported */
}

void flx_js_require_init(flx_js_worker_t *w, JSValue global) {
  JSContext *ctx = w->ctx;
  /* __filename: the source the program came from (main's @ origin), as
   * under node; else the .flx file. */
  const flxl_fluxion_t *main_f = w->host->fx[w->host->main_index];
  const char *file = main_f->origin_file ? main_f->origin_file : w->host->file;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", file);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  JS_SetPropertyStr(ctx, global, "__filename", JS_NewString(ctx, file));
  JS_SetPropertyStr(ctx, global, "__dirname", JS_NewString(ctx, dir));
  w->modules = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, global, "require", JS_NewCFunction(ctx, require, "require", 1));
  JSValue process = JS_NewObject(ctx);
  JSValue env = JS_NewObject(ctx);
  for (char **e = environ; *e; e++) {
    const char *eq = strchr(*e, '=');
    if (eq == NULL)
      continue;
    JSAtom key = JS_NewAtomLen(ctx, *e, (size_t)(eq - *e));
    JS_DefinePropertyValue(ctx, env, key, JS_NewString(ctx, eq + 1), JS_PROP_C_W_E);
    JS_FreeAtom(ctx, key);
  }
  JS_SetPropertyStr(ctx, process, "env", env);
  JS_SetPropertyStr(ctx, process, "cwd", JS_NewCFunction(ctx, process_cwd, "cwd", 0));
  JS_SetPropertyStr(ctx, process, "exit", JS_NewCFunction(ctx, process_exit, "exit", 1));
  JS_SetPropertyStr(ctx, process, "pid", JS_NewInt32(ctx, (int32_t)getpid()));
  JS_SetPropertyStr(ctx, global, "process", process);
}
