/* js.h — the JavaScript host's internal interface (prefix flx_js_). The host
 * runs one QuickJS runtime per worker; values that travel between workers
 * are copied by structured clone (clone.c). */
#ifndef FLX_JS_H
#define FLX_JS_H

#include <quickjs.h>
#include <stddef.h>
#include <stdint.h>

/* A QuickJS runtime allocating as the workers' do (alloc.c). */
JSRuntime *flx_js_new_runtime(void);

/* A growable byte buffer; the bytes are plain malloc memory, so they may be
 * handed to another thread (unlike js_malloc memory, which belongs to its
 * runtime). */
typedef struct flx_js_bytes_s {
  uint8_t *p;
  size_t len, cap;
} flx_js_bytes_t;

void flx_js_bytes_free(flx_js_bytes_t *b);

/* Native handles (an HTTP request, its response) are movable, not copied:
 * the clone carries the native pointer, and the reader makes a new wrapper
 * around it in its own runtime. A context whose opaque pointer is an
 * flx_js_handles_t tells the clone which classes those are. */
typedef struct flx_js_handles_s {
  JSClassID classes[2];     /* 0: unused */
  void (*ref)(void *ptr);   /* the bytes keep the handle alive: one more ref */
  void (*unref)(void *ptr); /* bytes that were never finished give it back */
  /* The wrapper for ptr of classes[kind], taking over the bytes' reference. */
  JSValue (*wrap)(JSContext *ctx, int kind, void *ptr);
  /* name → function (data, session): rebuilds what a __flx_clone method
   * described (see clone.c). */
  JSValue revivers;
  /* A reviver not there yet: load what provides it (its module), if any. */
  void (*load_reviver)(JSContext *ctx, const char *name);
  /* The clone's own: the constructors it recognises, looked up at its first
   * use (zero at first; flx_js_clone_release gives them back). */
  struct flx_js_kinds_s *kinds;
} flx_js_handles_t;

/* Gives back what the clone keeps in ctx's handles table, before the context
 * is freed. */
void flx_js_clone_release(JSContext *ctx);

/* Serialises v so that another runtime can rebuild it: undefined, null,
 * booleans, numbers, BigInts, strings, arrays, plain objects, Date, RegExp,
 * Map, Set, ArrayBuffer, typed arrays (and Buffer), Error, with shared
 * references and cycles preserved. A value that cannot cross (a function, a
 * symbol, a WeakMap, ...) throws a TypeError naming the fluxion and where in
 * the variable it is ("fluxion reply: res.locals.fn is a function, which
 * cannot cross to another worker") and returns -1. */
int flx_js_clone_write(JSContext *ctx, JSValueConst v, const char *fluxion,
                       const char *var, flx_js_bytes_t *out);

/* Whether v could cross, without copying it: the same TypeError and -1 as
 * flx_js_clone_write where it could not. An object that describes itself
 * (__flx_clone) is taken at its word, and not asked. For a message that
 * stays on its worker, so that it is refused wherever its receiver lives. */
int flx_js_clone_check(JSContext *ctx, JSValueConst v, const char *fluxion, const char *var);

/* Rebuilds a value written by flx_js_clone_write, in ctx. JS_EXCEPTION (a
 * TypeError) if the bytes are not such a value. */
JSValue flx_js_clone_read(JSContext *ctx, const uint8_t *p, size_t len);

#endif /* FLX_JS_H */
