/* modules.c — `require` of the built-in modules (http from mod_http.c, fs
 * here, and the modules written in JavaScript, src/js/lib, built into
 * js_lib.h), and the `process` object. */
#include "host.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "js_lib.h"

extern char **environ;

/* ENOENT for ENOENT: libuv knows every errno's name. */
static const char *uv_err_name_compat(int err) { return uv_err_name(-err); }

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
