/* modules.c — `require`: the built-in modules (written in JavaScript,
 * src/js/lib, built into js_lib.h), files and packages (internal_modules.js);
 * the natives of `fs`; the `process` object. */
#include "host.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "js_lib.h"

extern char **environ;

/* ENOENT for ENOENT: libuv knows every errno's name. */
static const char *uv_err_name_compat(int err) { return uv_err_name(-err); }

/* ---- fs ----------------------------------------------------------------------------- */

/* An Error as Node.js makes them for a failed system call. */
static JSValue errno_error(JSContext *ctx, int err, const char *syscall, const char *path) {
  char msg[600];
  snprintf(msg, sizeof msg, "%s: %s, %s '%s'", uv_err_name_compat(err), uv_strerror(-err), syscall,
           path);
  JSValue e = JS_NewError(ctx);
  JS_SetPropertyStr(ctx, e, "message", JS_NewString(ctx, msg));
  JS_SetPropertyStr(ctx, e, "errno", JS_NewInt32(ctx, -err));
  JS_SetPropertyStr(ctx, e, "code", JS_NewString(ctx, uv_err_name_compat(err)));
  JS_SetPropertyStr(ctx, e, "syscall", JS_NewString(ctx, syscall));
  JS_SetPropertyStr(ctx, e, "path", JS_NewString(ctx, path));
  return JS_Throw(ctx, e);
}

/* The same for a call on a file descriptor: no path. */
static JSValue fd_error(JSContext *ctx, int err, const char *syscall) {
  char msg[200];
  snprintf(msg, sizeof msg, "%s: %s, %s", uv_err_name_compat(err), uv_strerror(-err), syscall);
  JSValue e = JS_NewError(ctx);
  JS_SetPropertyStr(ctx, e, "message", JS_NewString(ctx, msg));
  JS_SetPropertyStr(ctx, e, "errno", JS_NewInt32(ctx, -err));
  JS_SetPropertyStr(ctx, e, "code", JS_NewString(ctx, uv_err_name_compat(err)));
  JS_SetPropertyStr(ctx, e, "syscall", JS_NewString(ctx, syscall));
  return JS_Throw(ctx, e);
}

/* The natives of src/js/lib/fs.js, each a synchronous system call that
 * throws Node's error for a failure. */

static const char *path_arg(JSContext *ctx, int argc, JSValueConst *argv) {
  const char *p = argc ? JS_ToCString(ctx, argv[0]) : NULL;
  if (p == NULL && !JS_IsException(argc ? argv[0] : JS_UNDEFINED))
    JS_ThrowTypeError(ctx, "The \"path\" argument must be of type string");
  return p;
}

/* read(path) → ArrayBuffer */
static JSValue fs_read(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const char *path = path_arg(ctx, argc, argv);
  if (path == NULL)
    return JS_EXCEPTION;
  FILE *f = fopen(path, "rb");
  struct stat st;
  if (f == NULL || (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))) {
    int err = f ? EISDIR : errno;
    if (f)
      fclose(f);
    JSValue e = errno_error(ctx, err, err == EISDIR ? "read" : "open", path);
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
  JSValue out = JS_NewArrayBufferCopy(ctx, (uint8_t *)buf, n);
  free(buf);
  return out;
}

/* write(path, bytes, append) */
static JSValue fs_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const char *path = path_arg(ctx, argc, argv);
  if (path == NULL)
    return JS_EXCEPTION;
  flx_js_view_t data;
  if (flx_js_view(ctx, argc > 1 ? argv[1] : JS_UNDEFINED, &data) < 0) {
    JS_FreeCString(ctx, path);
    return JS_EXCEPTION;
  }
  FILE *f = fopen(path, argc > 2 && JS_ToBool(ctx, argv[2]) ? "ab" : "wb");
  JSValue r = JS_UNDEFINED;
  if (f == NULL || fwrite(data.p, 1, data.len, f) != data.len)
    r = errno_error(ctx, errno, "open", path);
  if (f)
    fclose(f);
  flx_js_view_release(ctx, &data);
  JS_FreeCString(ctx, path);
  return r;
}

static JSValue stat_array(JSContext *ctx, const struct stat *sp) {
  struct stat st = *sp;
  double ms[3] = {st.st_mtim.tv_sec * 1e3 + st.st_mtim.tv_nsec / 1e6,
                  st.st_atim.tv_sec * 1e3 + st.st_atim.tv_nsec / 1e6,
                  st.st_ctim.tv_sec * 1e3 + st.st_ctim.tv_nsec / 1e6};
  double v[10] = {st.st_mode, (double)st.st_size, ms[0], ms[1], ms[2], (double)st.st_ino,
                  (double)st.st_nlink, st.st_uid, st.st_gid, (double)st.st_dev};
  JSValue a = JS_NewArray(ctx);
  for (uint32_t i = 0; i < 10; i++)
    JS_SetPropertyUint32(ctx, a, i, JS_NewFloat64(ctx, v[i]));
  return a;
}

/* stat(path, lstat) → [mode, size, mtimeMs, atimeMs, ctimeMs, ino, nlink, uid, gid, dev] */
static JSValue fs_stat(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const char *path = path_arg(ctx, argc, argv);
  if (path == NULL)
    return JS_EXCEPTION;
  bool link = argc > 1 && JS_ToBool(ctx, argv[1]);
  struct stat st;
  if ((link ? lstat(path, &st) : stat(path, &st)) != 0) {
    JSValue e = errno_error(ctx, errno, link ? "lstat" : "stat", path);
    JS_FreeCString(ctx, path);
    return e;
  }
  JS_FreeCString(ctx, path);
  return stat_array(ctx, &st);
}

/* open(path, flags, mode) → fd; flags are O_* numbers (fs.js reads 'a+'). */
static JSValue fs_open(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  int32_t flags = O_RDONLY, mode = 0666;
  const char *path = path_arg(ctx, argc, argv);
  if (path == NULL || (argc > 1 && JS_ToInt32(ctx, &flags, argv[1])) ||
      (argc > 2 && JS_ToInt32(ctx, &mode, argv[2]))) {
    if (path)
      JS_FreeCString(ctx, path);
    return JS_EXCEPTION;
  }
  int fd = open(path, flags | O_CLOEXEC, (mode_t)mode);
  JSValue r = fd < 0 ? errno_error(ctx, errno, "open", path) : JS_NewInt32(ctx, fd);
  JS_FreeCString(ctx, path);
  return r;
}

/* fd(op, fd): close, fsync, fdatasync; fstat → a stat array. */
static JSValue fs_fd(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  int32_t fd = -1;
  const char *op = argc > 1 ? JS_ToCString(ctx, argv[0]) : NULL;
  if (op == NULL || JS_ToInt32(ctx, &fd, argv[1])) {
    if (op)
      JS_FreeCString(ctx, op);
    return JS_ThrowTypeError(ctx, "The \"fd\" argument must be of type number");
  }
  struct stat st;
  int rc = strcmp(op, "close") == 0       ? close(fd)
           : strcmp(op, "fsync") == 0     ? fsync(fd)
           : strcmp(op, "fdatasync") == 0 ? fdatasync(fd)
           : strcmp(op, "fstat") == 0     ? fstat(fd, &st)
                                          : (errno = EINVAL, -1);
  JSValue r = rc != 0                     ? fd_error(ctx, errno, op)
              : strcmp(op, "fstat") == 0 ? stat_array(ctx, &st)
                                         : JS_UNDEFINED;
  JS_FreeCString(ctx, op);
  return r;
}

/* io(write, fd, view, offset, length, position) → bytes read or written;
 * a position of null (or negative) uses and moves the file's own. */
static JSValue fs_io(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  int32_t fd = -1;
  int64_t off = 0, len = 0, pos = -1;
  flx_js_view_t v;
  if (argc < 6 || JS_ToInt32(ctx, &fd, argv[1]) || JS_ToInt64(ctx, &off, argv[3]) ||
      JS_ToInt64(ctx, &len, argv[4]) ||
      (!JS_IsNull(argv[5]) && !JS_IsUndefined(argv[5]) && JS_ToInt64(ctx, &pos, argv[5])))
    return JS_EXCEPTION;
  if (flx_js_view(ctx, argv[2], &v) < 0)
    return JS_EXCEPTION;
  bool writing = JS_ToBool(ctx, argv[0]);
  JSValue r;
  if (off < 0 || len < 0 || (uint64_t)off + (uint64_t)len > v.len) {
    r = JS_ThrowRangeError(ctx, "The value of \"length\" is out of range");
  } else {
    uint8_t *p = (uint8_t *)v.p + off;
    ssize_t n = writing ? (pos < 0 ? write(fd, p, (size_t)len) : pwrite(fd, p, (size_t)len, pos))
                        : (pos < 0 ? read(fd, p, (size_t)len) : pread(fd, p, (size_t)len, pos));
    r = n < 0 ? fd_error(ctx, errno, writing ? "write" : "read") : JS_NewInt64(ctx, n);
  }
  flx_js_view_release(ctx, &v);
  return r;
}

static JSValue fs_readdir(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const char *path = path_arg(ctx, argc, argv);
  if (path == NULL)
    return JS_EXCEPTION;
  DIR *d = opendir(path);
  if (d == NULL) {
    JSValue e = errno_error(ctx, errno, "scandir", path);
    JS_FreeCString(ctx, path);
    return e;
  }
  JSValue a = JS_NewArray(ctx);
  uint32_t n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      JS_SetPropertyUint32(ctx, a, n++, JS_NewString(ctx, e->d_name));
  closedir(d);
  JS_FreeCString(ctx, path);
  return a;   /* sorted by fs.js, as libuv's scandir returns them */
}

/* op(name, path[, path2 | flag]): unlink, rmdir, mkdir, rename, access, realpath */
static JSValue fs_op(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  if (argc < 2)
    return JS_ThrowTypeError(ctx, "fs op");
  const char *op = JS_ToCString(ctx, argv[0]);
  const char *path = path_arg(ctx, argc - 1, argv + 1);
  const char *path2 = argc > 2 && JS_IsString(argv[2]) ? JS_ToCString(ctx, argv[2]) : NULL;
  JSValue r = JS_UNDEFINED;
  int rc = -1;
  char real[4096];
  if (op == NULL || path == NULL) {
    r = JS_EXCEPTION;
    goto done;
  }
  if (strcmp(op, "unlink") == 0)
    rc = unlink(path);
  else if (strcmp(op, "rmdir") == 0)
    rc = rmdir(path);
  else if (strcmp(op, "mkdir") == 0)
    rc = mkdir(path, 0777);
  else if (strcmp(op, "rename") == 0 && path2)
    rc = rename(path, path2);
  else if (strcmp(op, "access") == 0)
    rc = access(path, F_OK);
  else if (strcmp(op, "realpath") == 0 && (rc = realpath(path, real) ? 0 : -1) == 0)
    r = JS_NewString(ctx, real);
  else if (strcmp(op, "copyfile") == 0 && path2) {
    FILE *in = fopen(path, "rb"), *out = in ? fopen(path2, "wb") : NULL;
    char buf[65536];
    size_t n;
    rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
      rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    int err = errno;
    if (in)
      fclose(in);
    if (out)
      fclose(out);
    errno = err;
  }
  if (rc != 0)
    r = errno_error(ctx, errno, op, path);
done:
  if (op)
    JS_FreeCString(ctx, op);
  if (path)
    JS_FreeCString(ctx, path);
  if (path2)
    JS_FreeCString(ctx, path2);
  return r;
}

static const JSCFunctionListEntry fs_natives[] = {
  JS_CFUNC_DEF("read", 1, fs_read),
  JS_CFUNC_DEF("write", 3, fs_write),
  JS_CFUNC_DEF("stat", 2, fs_stat),
  JS_CFUNC_DEF("readdir", 1, fs_readdir),
  JS_CFUNC_DEF("op", 3, fs_op),
  JS_CFUNC_DEF("open", 3, fs_open),
  JS_CFUNC_DEF("fd", 2, fs_fd),
  JS_CFUNC_DEF("io", 6, fs_io),
};

/* A module written in JavaScript (src/js/lib/NAME.js): a factory called
 * with (module, exports, the host's natives). */
static JSValue lib_module(JSContext *ctx, const char *name) {
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
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
    JSValue args[3] = {module, JS_NewObject(ctx), w->flx};
    JS_SetPropertyStr(ctx, module, "exports", JS_DupValue(ctx, args[1]));
    JSValue r = JS_Call(ctx, factory, JS_UNDEFINED, 3, args);
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

/* ---- require and process ------------------------------------------------------ */

/* A built-in module, loaded once per worker; undefined if there is none. */
static JSValue builtin(flx_js_worker_t *w, const char *name) {
  JSContext *ctx = w->ctx;
  JSValue m = JS_GetPropertyStr(ctx, w->modules, name);
  if (JS_IsUndefined(m) && strcmp(name, "fs/promises") == 0) {
    JSValue fs = builtin(w, "fs");
    m = JS_IsException(fs) ? fs : JS_GetPropertyStr(ctx, fs, "promises");
    JS_FreeValue(ctx, fs);
  } else if (JS_IsUndefined(m)) {   /* timers/promises: a file name has no '/' */
    m = lib_module(ctx, strcmp(name, "timers/promises") == 0 ? "internal_timers_promises" : name);
    if (!JS_IsUndefined(m) && !JS_IsException(m))
      JS_SetPropertyStr(ctx, w->modules, name, JS_DupValue(ctx, m));
  }
  return m;
}

JSValue flx_js_require(flx_js_worker_t *w, const char *name) {
  return builtin(w, name);
}

/* __flx.require(name): the host's own modules too (internal_*). */
static JSValue native_require(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const char *name = argc ? JS_ToCString(ctx, argv[0]) : NULL;
  if (name == NULL)
    return JS_EXCEPTION;
  JSValue m = builtin(JS_GetContextOpaque(ctx), name);
  JS_FreeCString(ctx, name);
  return JS_IsUndefined(m) ? JS_ThrowReferenceError(ctx, "no built-in module") : m;
}

static JSValue require(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  const char *name = argc ? JS_ToCString(ctx, argv[0]) : NULL;
  if (name == NULL)
    return JS_ThrowTypeError(ctx, "require(name)");
  const char *bare = strncmp(name, "node:", 5) == 0 ? name + 5 : name;
  /* internal_*: the host's own JavaScript, not for programs */
  JSValue m = strncmp(bare, "internal_", 9) == 0 ? JS_UNDEFINED : builtin(w, bare);
  if (JS_IsUndefined(m)) {   /* a file or a package: internal_modules.js */
    JSValue files = builtin(w, "internal_modules");
    JSValue from_main = JS_IsException(files) ? JS_EXCEPTION
                                              : JS_GetPropertyStr(ctx, files, "requireFromMain");
    m = JS_IsException(from_main) ? JS_EXCEPTION : JS_Call(ctx, from_main, JS_UNDEFINED, 1, argv);
    JS_FreeValue(ctx, from_main);
    JS_FreeValue(ctx, files);
  }
  JS_FreeCString(ctx, name);
  return m;
}

/* __flx.builtin(name): a built-in module, or undefined (node: prefix too). */
static JSValue native_builtin(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const char *name = argc ? JS_ToCString(ctx, argv[0]) : NULL;
  if (name == NULL)
    return JS_EXCEPTION;
  const char *bare = strncmp(name, "node:", 5) == 0 ? name + 5 : name;
  JSValue m = strncmp(bare, "internal_", 9) == 0 || bare[0] == '.' || bare[0] == '/'
                  ? JS_UNDEFINED : builtin(JS_GetContextOpaque(ctx), bare);
  JS_FreeCString(ctx, name);
  return m;
}

/* __flx.compileModule(source, file): CommonJS's wrapper around a file, its
 * first line on the file's first line. */
static JSValue native_compile(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  if (argc < 2)
    return JS_ThrowTypeError(ctx, "compileModule(source, file)");
  size_t n;
  const char *src = JS_ToCStringLen(ctx, &n, argv[0]);
  const char *file = JS_ToCString(ctx, argv[1]);
  JSValue fn = JS_EXCEPTION;
  if (src && file) {
    static const char head[] = "(function (exports, require, module, __filename, __dirname) { ";
    static const char tail[] = "\n})";
    char *text = malloc(sizeof head + n + sizeof tail);
    memcpy(text, head, sizeof head - 1);
    memcpy(text + sizeof head - 1, src, n);
    memcpy(text + sizeof head - 1 + n, tail, sizeof tail);
    fn = JS_Eval(ctx, text, sizeof head - 1 + n + sizeof tail - 1, file, JS_EVAL_TYPE_GLOBAL);
    free(text);
  }
  if (src)
    JS_FreeCString(ctx, src);
  if (file)
    JS_FreeCString(ctx, file);
  return fn;
}

static JSValue process_cwd(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  (void)argc;
  (void)argv;
  char buf[4096];
  return getcwd(buf, sizeof buf) ? JS_NewString(ctx, buf)
                                 : JS_ThrowInternalError(ctx, "getcwd: %s", strerror(errno));
}

/* [seconds, nanoseconds] of the monotonic clock: process.hrtime. */
static JSValue native_hrtime(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  JSValue a = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, a, 0, JS_NewInt64(ctx, ts.tv_sec));
  JS_SetPropertyUint32(ctx, a, 1, JS_NewInt64(ctx, ts.tv_nsec));
  return a;
}

/* [bytes the JavaScript heap holds, bytes it uses]: process.memoryUsage. */
static JSValue native_heap(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JSMemoryUsage m;
  JS_ComputeMemoryUsage(JS_GetRuntime(ctx), &m);
  JSValue a = JS_NewArray(ctx);
  JS_SetPropertyUint32(ctx, a, 0, JS_NewInt64(ctx, m.malloc_size));
  JS_SetPropertyUint32(ctx, a, 1, JS_NewInt64(ctx, m.memory_used_size));
  return a;
}

/* process.exit([code]): the runtime stops (gracefully: messages already sent
 * still run) and `flx run` exits with code. The caller's code stops here. */
static JSValue process_exit(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int32_t code = 0;
  if (argc > 0 && !JS_IsUndefined(argv[0])) {
    JS_ToInt32(ctx, &code, argv[0]);
  } else {   /* as Node: process.exitCode */
    JSValue g = JS_GetGlobalObject(ctx), proc = JS_GetPropertyStr(ctx, g, "process");
    JSValue v = JS_GetPropertyStr(ctx, proc, "exitCode");
    if (JS_IsNumber(v))
      JS_ToInt32(ctx, &code, v);
    JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, proc);
    JS_FreeValue(ctx, g);
  }
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
  char dir[4096], abs[4096];
  if (file[0] != '/' && getcwd(abs, sizeof abs - 1)) {   /* absolute, as under node */
    size_t at = strlen(abs);
    snprintf(abs + at, sizeof abs - at, "/%s", strncmp(file, "./", 2) == 0 ? file + 2 : file);
    file = abs;
  }
  snprintf(dir, sizeof dir, "%s", file);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  JS_SetPropertyStr(ctx, global, "__filename", JS_NewString(ctx, file));
  JS_SetPropertyStr(ctx, global, "__dirname", JS_NewString(ctx, dir));
  w->modules = JS_NewObject(ctx);
  JSValue fs = JS_NewObject(ctx);
  JS_SetPropertyFunctionList(ctx, fs, fs_natives, sizeof fs_natives / sizeof *fs_natives);
  JS_SetPropertyStr(ctx, w->flx, "fs", fs);
  JS_SetPropertyStr(ctx, w->flx, "require", JS_NewCFunction(ctx, native_require, "require", 1));
  JS_SetPropertyStr(ctx, w->flx, "builtin", JS_NewCFunction(ctx, native_builtin, "builtin", 1));
  JS_SetPropertyStr(ctx, w->flx, "modules", JS_DupValue(ctx, w->modules));   /* those loaded */
  JS_SetPropertyStr(ctx, w->flx, "compileModule",
                    JS_NewCFunction(ctx, native_compile, "compileModule", 2));
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
  JS_SetPropertyStr(ctx, w->flx, "hrtime", JS_NewCFunction(ctx, native_hrtime, "hrtime", 0));
  JS_SetPropertyStr(ctx, w->flx, "heap", JS_NewCFunction(ctx, native_heap, "heap", 0));
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = '\0';
  JS_SetPropertyStr(ctx, w->flx, "execPath", JS_NewString(ctx, exe));
  JS_SetPropertyStr(ctx, w->flx, "mainFile", JS_NewString(ctx, file));
  JS_SetPropertyStr(ctx, w->flx, "version", JS_NewString(ctx, FLX_VERSION));
}
