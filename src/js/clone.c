/* clone.c — structured clone between QuickJS runtimes: the values a message
 * carries from one worker's runtime to another's.
 *
 * The format is a tag byte per value followed by its payload (lengths as
 * uint32, numbers as IEEE doubles, strings as UTF-8). Every object is
 * numbered when it is first met, by the writer and the reader alike, so a
 * second meeting is written as a reference (T_REF n): shared references and
 * cycles survive. The writer holds a reference to every object it numbered
 * until it is done, so no number can point to a reused address. Property
 * names are numbered the same way: a name is written once, then by its
 * number (a list of records repeats its few names on every record).
 *
 * An object with a `__flx_clone` method (own or inherited) describes itself:
 * the method returns [name, data], written as T_REVIVE name data; the reader
 * calls the context's reviver `name` with (data, session) — session being
 * one object per read, for revivers that link objects of one message (a
 * request with its response). This is how functions that can be rebuilt
 * elsewhere (a placeholder, an Express app, a continuation to call back)
 * cross. An object's data must not refer back to the object itself. The
 * method may return [name, data, own, skip]: own's enumerable properties,
 * less its functions and the names in the array skip, then cross too and are
 * defined on what the reviver made (a request: the handle revives it, the
 * application's properties follow); then its __flx_revived method, if any,
 * is called with an array of those of them that are objects (what the copy
 * held when it arrived). */
#include "js.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum {
  T_UNDEFINED = 1, T_NULL, T_FALSE, T_TRUE, T_INT, T_DOUBLE, T_STRING, T_BIGINT,
  T_ARRAY, T_OBJECT, T_DATE, T_REGEXP, T_MAP, T_SET, T_ARRAYBUFFER, T_TYPED, T_ERROR,
  T_REF, T_HANDLE, T_REVIVE
};

#define MAX_DEPTH 1000

/* The constructors the clone recognises, looked up in a context's globals
 * (once per context that has a handles table: a dozen lookups by name cost
 * more than a small message's copy). */
typedef struct flx_js_kinds_s {
  JSValue Date, RegExp, Map, Set, ArrayBuffer, TypedArray, Error, Promise, WeakMap,
      WeakSet, Array, Object, ObjectPrototype;
  JSAtom clone_atom;        /* __flx_clone */
} kinds_t;

static void kinds_get(JSContext *ctx, kinds_t *k) {
  JSValue g = JS_GetGlobalObject(ctx);
  k->Date = JS_GetPropertyStr(ctx, g, "Date");
  k->RegExp = JS_GetPropertyStr(ctx, g, "RegExp");
  k->Map = JS_GetPropertyStr(ctx, g, "Map");
  k->Set = JS_GetPropertyStr(ctx, g, "Set");
  k->ArrayBuffer = JS_GetPropertyStr(ctx, g, "ArrayBuffer");
  k->Error = JS_GetPropertyStr(ctx, g, "Error");
  k->Promise = JS_GetPropertyStr(ctx, g, "Promise");
  k->WeakMap = JS_GetPropertyStr(ctx, g, "WeakMap");
  k->WeakSet = JS_GetPropertyStr(ctx, g, "WeakSet");
  k->Array = JS_GetPropertyStr(ctx, g, "Array");
  k->Object = JS_GetPropertyStr(ctx, g, "Object");
  k->ObjectPrototype = JS_GetPropertyStr(ctx, k->Object, "prototype");
  JSValue u8 = JS_GetPropertyStr(ctx, g, "Uint8Array");
  k->TypedArray = JS_GetPrototype(ctx, u8);   /* %TypedArray%, owned */
  k->clone_atom = JS_NewAtom(ctx, "__flx_clone");
  JS_FreeValue(ctx, u8);
  JS_FreeValue(ctx, g);
}

static void kinds_free(JSContext *ctx, kinds_t *k) {
  JSValue *all[] = {&k->Date, &k->RegExp, &k->Map, &k->Set, &k->ArrayBuffer, &k->TypedArray,
                    &k->Error, &k->Promise, &k->WeakMap, &k->WeakSet, &k->Array, &k->Object,
                    &k->ObjectPrototype};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    JS_FreeValue(ctx, *all[i]);
  JS_FreeAtom(ctx, k->clone_atom);
}

/* ctx's kinds: its handles table's, else looked up into scratch for one
 * call (kinds_done gives those back). */
static const kinds_t *kinds_of(JSContext *ctx, kinds_t *scratch) {
  flx_js_handles_t *h = JS_GetContextOpaque(ctx);
  if (h == NULL) {
    kinds_get(ctx, scratch);
    return scratch;
  }
  if (h->kinds == NULL) {
    h->kinds = malloc(sizeof *h->kinds);
    if (h->kinds == NULL)
      abort();
    kinds_get(ctx, h->kinds);
  }
  return h->kinds;
}

static void kinds_done(JSContext *ctx, const kinds_t *k, kinds_t *scratch) {
  if (k == scratch)
    kinds_free(ctx, scratch);
}

void flx_js_clone_release(JSContext *ctx) {
  flx_js_handles_t *h = JS_GetContextOpaque(ctx);
  if (h == NULL || h->kinds == NULL)
    return;
  kinds_free(ctx, h->kinds);
  free(h->kinds);
  h->kinds = NULL;
}

static bool instance(JSContext *ctx, JSValueConst v, JSValueConst ctor) {
  return JS_IsObject(ctor) && JS_IsInstanceOf(ctx, v, ctor) == 1;
}

/* ---- bytes ------------------------------------------------------------------ */

void flx_js_bytes_free(flx_js_bytes_t *b) {
  free(b->p);
  *b = (flx_js_bytes_t){0};
}

static void grow(flx_js_bytes_t *b, size_t n) {
  size_t cap = b->cap ? b->cap : 1024;
  while (cap < b->len + n)
    cap *= 2;
  uint8_t *q = realloc(b->p, cap);
  if (q == NULL)
    abort();
  b->p = q;
  b->cap = cap;
}

/* (inline: most puts are a tag or a length, whose memcpy is a move) */
static inline void put(flx_js_bytes_t *b, const void *p, size_t n) {
  if (b->len + n > b->cap)
    grow(b, n);
  memcpy(b->p + b->len, p, n);
  b->len += n;
}

static void put_u8(flx_js_bytes_t *b, uint8_t v) { put(b, &v, 1); }
static void put_u32(flx_js_bytes_t *b, uint32_t v) { put(b, &v, 4); }
static void put_f64(flx_js_bytes_t *b, double v) { put(b, &v, 8); }

static void put_str(flx_js_bytes_t *b, const char *s, size_t n) {
  put_u32(b, (uint32_t)n);
  put(b, s, n);
}

/* Room in array p (of *cap elements of size bytes) for one more after its
 * first n: doubled when full. */
static void *room_for_one(void *p, size_t n, size_t *cap, size_t size) {
  if (n < *cap)
    return p;
  *cap = *cap ? 2 * *cap : 16;
  p = realloc(p, *cap * size);
  if (p == NULL)
    abort();
  return p;
}

/* ---- writing ----------------------------------------------------------------- */

/* Where in the variable the writer is: a member's name or an element's
 * index per level, made into text only for an error. */
typedef struct step_s {
  JSAtom key;               /* JS_ATOM_NULL: an element */
  uint32_t index;
} step_t;

/* Numbers of what was met before: objects by address, names by atom. */
typedef struct numbering_s {
  uintptr_t *keys;          /* open addressing; 0 is empty */
  uint32_t *values;
  size_t cap, n;
} numbering_t;

#define MAX_NAMES 4096      /* beyond, a name is written each time */
#define NAME_INLINE UINT32_MAX

typedef struct writer_s {
  JSContext *ctx;
  flx_js_bytes_t *out;
  const char *fluxion, *var;
  step_t *path;             /* MAX_DEPTH + 1 of them */
  int npath;
  JSValue *seen;            /* numbered objects, each held */
  size_t nseen, capseen;
  numbering_t seen_at;      /* object → its number */
  numbering_t names;        /* atom → its number */
  const kinds_t *k;
  kinds_t scratch;          /* k, where ctx has no handles table */
  int depth;
  bool check_only;          /* flx_js_clone_check: no hooks run, no handle held */
  void **handles;           /* those written, each with the reference the bytes hold */
  size_t nhandles;
} writer_t;

/* ---- numbering ---------------------------------------------------------------- */

static size_t slot_of(const numbering_t *t, uintptr_t key) {
  size_t i = (size_t)(((key ^ (key >> 4)) * 0x9E3779B97F4A7C15ull) >> 32) & (t->cap - 1);
  while (t->keys[i] != 0 && t->keys[i] != key)
    i = (i + 1) & (t->cap - 1);
  return i;
}

/* key's number, or -1 */
static int64_t number_of(const numbering_t *t, uintptr_t key) {
  if (t->n == 0)
    return -1;
  size_t i = slot_of(t, key);
  return t->keys[i] == key ? (int64_t)t->values[i] : -1;
}

static void add_number(numbering_t *t, uintptr_t key, uint32_t value) {
  if (2 * (t->n + 1) > t->cap) {
    numbering_t bigger = {.cap = t->cap ? 2 * t->cap : 64};
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.values = malloc(bigger.cap * sizeof *bigger.values);
    if (bigger.keys == NULL || bigger.values == NULL)
      abort();
    for (size_t i = 0; i < t->cap; i++)
      if (t->keys[i] != 0)
        add_number(&bigger, t->keys[i], t->values[i]);
    free(t->keys);
    free(t->values);
    *t = bigger;
  }
  size_t i = slot_of(t, key);
  t->keys[i] = key;
  t->values[i] = value;
  t->n++;
}

static void numbering_free(numbering_t *t) {
  free(t->keys);
  free(t->values);
}

/* ---- writing, continued ------------------------------------------------------ */

/* The path as text: var.name[3].other */
static const char *path_text(writer_t *w, char *buf, size_t size) {
  size_t at = (size_t)snprintf(buf, size, "%s", w->var);
  for (int i = 0; i < w->npath && at < size; i++) {
    const step_t *st = &w->path[i];
    if (st->key != JS_ATOM_NULL) {
      const char *k = JS_AtomToCString(w->ctx, st->key);
      at += (size_t)snprintf(buf + at, size - at, ".%s", k ? k : "?");
      JS_FreeCString(w->ctx, k);
    } else {
      at += (size_t)snprintf(buf + at, size - at, "[%u]", st->index);
    }
  }
  return buf;
}

static int cannot(writer_t *w, const char *what) {
  char path[512];
  JS_ThrowTypeError(w->ctx, "fluxion %s: %s is %s, which cannot cross to another worker",
                    w->fluxion, path_text(w, path, sizeof path), what);
  return -1;
}

static int write_value(writer_t *w, JSValueConst v);

/* Writes v as the member `key` (JS_ATOM_NULL: the element index) of the
 * current path. */
static int write_member(writer_t *w, JSValueConst v, JSAtom key, uint32_t index) {
  /* (a member is below a value being written, and write_value refuses
   * values deeper than MAX_DEPTH: the path has room) */
  w->path[w->npath++] = (step_t){key, index};
  int rc = write_value(w, v);
  w->npath--;
  return rc;
}

/* A member's name: its number if written before, else the next number
 * and the name. */
static int write_name(writer_t *w, JSAtom atom) {
  int64_t known = number_of(&w->names, atom);
  if (known >= 0) {
    put_u32(w->out, (uint32_t)known);
    return 0;
  }
  const char *key = JS_AtomToCString(w->ctx, atom);
  if (key == NULL)
    return -1;
  bool numbered = w->names.n < MAX_NAMES;
  put_u32(w->out, numbered ? (uint32_t)w->names.n : NAME_INLINE);
  put_str(w->out, key, strlen(key));
  JS_FreeCString(w->ctx, key);
  if (numbered)   /* (the table holds the atom) */
    add_number(&w->names, JS_DupAtom(w->ctx, atom), (uint32_t)w->names.n);
  return 0;
}

static int write_string(writer_t *w, uint8_t tag, JSValueConst v) {
  size_t n;
  const char *s = JS_ToCStringLen(w->ctx, &n, v);
  if (s == NULL)
    return -1;
  put_u8(w->out, tag);
  put_str(w->out, s, n);
  JS_FreeCString(w->ctx, s);
  return 0;
}

static int write_prop_string(writer_t *w, JSValueConst obj, const char *name) {
  JSValue v = JS_GetPropertyStr(w->ctx, obj, name);
  if (JS_IsException(v))
    return -1;
  size_t n = 0;
  const char *s = JS_IsUndefined(v) ? NULL : JS_ToCStringLen(w->ctx, &n, v);
  put_str(w->out, s ? s : "", s ? n : 0);
  if (s)
    JS_FreeCString(w->ctx, s);
  JS_FreeValue(w->ctx, v);
  return 0;
}

/* Map and Set: their entries, through Array.from (QuickJS has no C API). */
static int write_collection(writer_t *w, JSValueConst v, bool map) {
  JSValue from = JS_GetPropertyStr(w->ctx, w->k->Array, "from");
  JSValue list = JS_Call(w->ctx, from, w->k->Array, 1, &v);
  JS_FreeValue(w->ctx, from);
  if (JS_IsException(list))
    return -1;
  uint32_t n = 0;
  JSValue len = JS_GetPropertyStr(w->ctx, list, "length");
  JS_ToUint32(w->ctx, &n, len);
  JS_FreeValue(w->ctx, len);
  put_u8(w->out, map ? T_MAP : T_SET);
  put_u32(w->out, n);
  int rc = 0;
  for (uint32_t i = 0; i < n && rc == 0; i++) {
    JSValue e = JS_GetPropertyUint32(w->ctx, list, i);
    if (map) {
      JSValue key = JS_GetPropertyUint32(w->ctx, e, 0), val = JS_GetPropertyUint32(w->ctx, e, 1);
      rc = write_member(w, key, JS_ATOM_NULL, i);
      if (rc == 0)
        rc = write_member(w, val, JS_ATOM_NULL, i);
      JS_FreeValue(w->ctx, key);
      JS_FreeValue(w->ctx, val);
    } else {
      rc = write_member(w, e, JS_ATOM_NULL, i);
    }
    JS_FreeValue(w->ctx, e);
  }
  JS_FreeValue(w->ctx, list);
  return rc;
}

static int write_typed(writer_t *w, JSValueConst v) {
  size_t off, len, bpe;
  JSValue buf = JS_GetTypedArrayBuffer(w->ctx, v, &off, &len, &bpe);
  if (JS_IsException(buf))
    return -1;
  size_t size;
  uint8_t *bytes = JS_GetArrayBuffer(w->ctx, &size, buf);
  JSValue ctor = JS_GetPropertyStr(w->ctx, v, "constructor");
  put_u8(w->out, T_TYPED);
  int rc = write_prop_string(w, ctor, "name");   /* Uint8Array, Float64Array, Buffer */
  put_str(w->out, bytes ? (const char *)bytes + off : "", bytes ? len : 0);
  JS_FreeValue(w->ctx, ctor);
  JS_FreeValue(w->ctx, buf);
  return rc;
}

/* Which of an object's members stay behind (see write_revivable). */
typedef struct filter_s {
  JSAtom *names;
  uint32_t n;
} filter_t;

static bool filtered(writer_t *w, const filter_t *f, JSAtom key, JSValueConst val) {
  for (uint32_t i = 0; i < f->n; i++)
    if (f->names[i] == key)
      return true;
  return JS_IsFunction(w->ctx, val);
}

/* v's own enumerable string-keyed properties, less those the filter (if any)
 * keeps back: a count, then key and value. */
static int write_members(writer_t *w, JSValueConst v, const filter_t *filter) {
  JSPropertyEnum *tab;
  uint32_t n, written = 0;
  if (JS_GetOwnPropertyNames(w->ctx, &tab, &n, v, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0)
    return -1;
  size_t count_at = w->out->len;
  put_u32(w->out, n);
  int rc = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (rc == 0) {
      JSValue val = JS_GetProperty(w->ctx, v, tab[i].atom);
      if (JS_IsException(val)) {
        rc = -1;
      } else if (filter == NULL || !filtered(w, filter, tab[i].atom, val)) {
        rc = write_name(w, tab[i].atom);
        if (rc == 0)
          rc = write_member(w, val, tab[i].atom, 0);
        written++;
      }
      JS_FreeValue(w->ctx, val);
    }
    JS_FreeAtom(w->ctx, tab[i].atom);
  }
  js_free(w->ctx, tab);
  memcpy(w->out->p + count_at, &written, sizeof written);
  return rc;
}

/* own's members after a revivable's data, less functions and the names
 * listed in skip (an array of strings); a count of 0 if there is no own. */
static int write_own(writer_t *w, JSValueConst own, JSValueConst skip) {
  if (!JS_IsObject(own)) {
    put_u32(w->out, 0);
    return 0;
  }
  filter_t f = {0};
  int rc = -1;
  if (JS_IsArray(w->ctx, skip) == 1) {
    JSValue len = JS_GetPropertyStr(w->ctx, skip, "length");
    JS_ToUint32(w->ctx, &f.n, len);
    JS_FreeValue(w->ctx, len);
    f.names = calloc(f.n ? f.n : 1, sizeof *f.names);
    if (f.names == NULL)
      abort();
    for (uint32_t i = 0; i < f.n; i++) {
      JSValue name = JS_GetPropertyUint32(w->ctx, skip, i);
      f.names[i] = JS_ValueToAtom(w->ctx, name);
      JS_FreeValue(w->ctx, name);
      if (f.names[i] == JS_ATOM_NULL)
        goto done;
    }
  }
  rc = write_members(w, own, &f);
done:
  for (uint32_t i = 0; i < f.n; i++)
    if (f.names[i] != JS_ATOM_NULL)
      JS_FreeAtom(w->ctx, f.names[i]);
  free(f.names);
  return rc;
}

static void hold(writer_t *w, JSValueConst v) {
  w->seen = room_for_one(w->seen, w->nseen, &w->capseen, sizeof *w->seen);
  add_number(&w->seen_at, (uintptr_t)JS_VALUE_GET_PTR(v), (uint32_t)w->nseen);
  w->seen[w->nseen++] = JS_DupValue(w->ctx, v);
}

/* v.__flx_clone() = [name, data]: written as T_REVIVE name data. Takes hook. */
static int write_revivable(writer_t *w, JSValueConst v, JSValue hook) {
  JSContext *ctx = w->ctx;
  JSValue spec = JS_Call(ctx, hook, v, 0, NULL);
  JS_FreeValue(ctx, hook);
  if (JS_IsException(spec))
    return -1;
  hold(w, v);
  JSValue name = JS_GetPropertyUint32(ctx, spec, 0), data = JS_GetPropertyUint32(ctx, spec, 1);
  int rc = -1;
  if (JS_IsString(name)) {
    put_u8(w->out, T_REVIVE);
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, name);
    put_str(w->out, s, n);
    JS_FreeCString(ctx, s);
    rc = write_value(w, data);
    if (rc == 0) {
      JSValue own = JS_GetPropertyUint32(ctx, spec, 2), skip = JS_GetPropertyUint32(ctx, spec, 3);
      rc = write_own(w, own, skip);
      JS_FreeValue(ctx, own);
      JS_FreeValue(ctx, skip);
    }
  } else {
    char path[512];
    JS_ThrowTypeError(ctx, "fluxion %s: %s: __flx_clone must return [name, data]", w->fluxion,
                      path_text(w, path, sizeof path));
  }
  JS_FreeValue(ctx, name);
  JS_FreeValue(ctx, data);
  JS_FreeValue(ctx, spec);
  return rc;
}

/* An object made by {} or Object.create(null) (not a class's instance). */
static bool plain_object(writer_t *w, JSValueConst v) {
  JSValue proto = JS_GetPrototype(w->ctx, v);
  bool plain = JS_IsNull(proto) ||
               JS_VALUE_GET_PTR(proto) == JS_VALUE_GET_PTR(w->k->ObjectPrototype);
  JS_FreeValue(w->ctx, proto);
  return plain;
}

static int write_object(writer_t *w, JSValueConst v) {
  JSContext *ctx = w->ctx;
  int64_t seen = number_of(&w->seen_at, (uintptr_t)JS_VALUE_GET_PTR(v));
  if (seen >= 0) {
    put_u8(w->out, T_REF);
    put_u32(w->out, (uint32_t)seen);
    return 0;
  }
  JSValue hook = JS_GetProperty(ctx, v, w->k->clone_atom);
  if (JS_IsFunction(ctx, hook) && w->check_only) {   /* it says how it crosses */
    JS_FreeValue(ctx, hook);
    hold(w, v);
    return 0;
  }
  if (JS_IsFunction(ctx, hook))
    return write_revivable(w, v, hook);
  JS_FreeValue(ctx, hook);
  const flx_js_handles_t *h = JS_GetContextOpaque(ctx);
  for (int kind = 0; h && kind < 2; kind++) {
    void *native = h->classes[kind] ? JS_GetOpaque(v, h->classes[kind]) : NULL;
    if (native && w->check_only)
      return 0;
    if (native) {   /* a native handle: moved by identity */
      h->ref(native);
      w->handles = realloc(w->handles, (w->nhandles + 1) * sizeof *w->handles);
      if (w->handles == NULL)
        abort();
      w->handles[w->nhandles++] = native;
      put_u8(w->out, T_HANDLE);
      put_u8(w->out, (uint8_t)kind);
      put(w->out, &native, sizeof native);
      return 0;
    }
  }
  if (JS_IsFunction(ctx, v))
    return cannot(w, "a function");
  if (plain_object(w, v)) {   /* the common case, before the instanceof tests */
    hold(w, v);
    put_u8(w->out, T_OBJECT);
    return write_members(w, v, NULL);
  }
  bool array = JS_IsArray(ctx, v) == 1;
  if (!array && instance(ctx, v, w->k->Promise))
    return cannot(w, "a promise");
  if (!array && (instance(ctx, v, w->k->WeakMap) || instance(ctx, v, w->k->WeakSet)))
    return cannot(w, "a weak collection");
  hold(w, v);

  if (array) {
    uint32_t n = 0;
    JSValue len = JS_GetPropertyStr(ctx, v, "length");
    JS_ToUint32(ctx, &n, len);
    JS_FreeValue(ctx, len);
    put_u8(w->out, T_ARRAY);
    put_u32(w->out, n);
    for (uint32_t i = 0; i < n; i++) {
      JSValue e = JS_GetPropertyUint32(ctx, v, i);
      int rc = JS_IsException(e) ? -1 : write_member(w, e, JS_ATOM_NULL, i);
      JS_FreeValue(ctx, e);
      if (rc)
        return rc;
    }
    return 0;
  }
  if (instance(ctx, v, w->k->Date)) {
    JSValue get = JS_GetPropertyStr(ctx, v, "getTime");
    JSValue t = JS_Call(ctx, get, v, 0, NULL);
    double ms = 0;
    JS_ToFloat64(ctx, &ms, t);
    JS_FreeValue(ctx, get);
    JS_FreeValue(ctx, t);
    put_u8(w->out, T_DATE);
    put_f64(w->out, ms);
    return 0;
  }
  if (instance(ctx, v, w->k->RegExp)) {
    put_u8(w->out, T_REGEXP);
    return write_prop_string(w, v, "source") || write_prop_string(w, v, "flags") ? -1 : 0;
  }
  if (instance(ctx, v, w->k->Map) || instance(ctx, v, w->k->Set))
    return write_collection(w, v, instance(ctx, v, w->k->Map));
  if (instance(ctx, v, w->k->ArrayBuffer)) {
    size_t size;
    uint8_t *bytes = JS_GetArrayBuffer(ctx, &size, v);
    put_u8(w->out, T_ARRAYBUFFER);
    put_str(w->out, bytes ? (const char *)bytes : "", bytes ? size : 0);
    return 0;
  }
  if (instance(ctx, v, w->k->TypedArray))
    return write_typed(w, v);
  if (JS_IsError(ctx, v)) {   /* name, message, stack, then its own (status, code...) */
    put_u8(w->out, T_ERROR);
    if (write_prop_string(w, v, "name") || write_prop_string(w, v, "message") ||
        write_prop_string(w, v, "stack"))
      return -1;
    return write_members(w, v, NULL);
  }
  put_u8(w->out, T_OBJECT);
  return write_members(w, v, NULL);
}

static int write_value(writer_t *w, JSValueConst v) {
  if (++w->depth > MAX_DEPTH) {
    w->depth--;
    return cannot(w, "nested too deeply");
  }
  int rc = 0;
  switch (JS_VALUE_GET_TAG(v)) {
  case JS_TAG_UNDEFINED: put_u8(w->out, T_UNDEFINED); break;
  case JS_TAG_NULL: put_u8(w->out, T_NULL); break;
  case JS_TAG_BOOL: put_u8(w->out, JS_VALUE_GET_BOOL(v) ? T_TRUE : T_FALSE); break;
  case JS_TAG_INT:
    put_u8(w->out, T_INT);
    put_u32(w->out, (uint32_t)JS_VALUE_GET_INT(v));
    break;
  case JS_TAG_FLOAT64:
    put_u8(w->out, T_DOUBLE);
    put_f64(w->out, JS_VALUE_GET_FLOAT64(v));
    break;
  case JS_TAG_STRING: rc = write_string(w, T_STRING, v); break;
  case JS_TAG_BIG_INT: rc = write_string(w, T_BIGINT, v); break;
  case JS_TAG_SYMBOL: rc = cannot(w, "a symbol"); break;
  case JS_TAG_OBJECT: rc = write_object(w, v); break;
  default: rc = cannot(w, "a value of an unsupported kind"); break;
  }
  w->depth--;
  return rc;
}

static int write_all(JSContext *ctx, JSValueConst v, const char *fluxion, const char *var,
                     flx_js_bytes_t *out, bool check_only) {
  step_t path[MAX_DEPTH + 1];   /* (not cleared: only the first npath are read) */
  writer_t w = {.ctx = ctx, .out = out, .fluxion = fluxion, .var = var, .path = path,
                .check_only = check_only};
  w.k = kinds_of(ctx, &w.scratch);
  int rc = write_value(&w, v);
  const flx_js_handles_t *h = JS_GetContextOpaque(ctx);
  for (size_t i = 0; rc < 0 && i < w.nhandles; i++)   /* no bytes will hand them over */
    h->unref(w.handles[i]);
  free(w.handles);
  for (size_t i = 0; i < w.nseen; i++)
    JS_FreeValue(ctx, w.seen[i]);
  free(w.seen);
  numbering_free(&w.seen_at);
  for (size_t i = 0; i < w.names.cap; i++)
    if (w.names.keys[i] != 0)
      JS_FreeAtom(ctx, (JSAtom)w.names.keys[i]);
  numbering_free(&w.names);
  kinds_done(ctx, w.k, &w.scratch);
  return rc;
}

int flx_js_clone_write(JSContext *ctx, JSValueConst v, const char *fluxion,
                       const char *var, flx_js_bytes_t *out) {
  return write_all(ctx, v, fluxion, var, out, false);
}

int flx_js_clone_check(JSContext *ctx, JSValueConst v, const char *fluxion, const char *var) {
  flx_js_bytes_t scratch = {0};
  int rc = write_all(ctx, v, fluxion, var, &scratch, true);
  flx_js_bytes_free(&scratch);
  return rc;
}

/* ---- reading ----------------------------------------------------------------- */

typedef struct reader_s {
  JSContext *ctx;
  const uint8_t *p, *end;
  JSValue *objs;            /* numbered objects (not held: the result holds them) */
  size_t nobjs, capobjs;
  JSAtom *names;            /* numbered names, each held */
  size_t nnames, capnames;
  const kinds_t *k;
  kinds_t scratch;
  int depth;
  JSValue session;          /* for revivers; made on first use */
} reader_t;

static bool take(reader_t *r, void *dst, size_t n) {
  if ((size_t)(r->end - r->p) < n)
    return false;
  memcpy(dst, r->p, n);
  r->p += n;
  return true;
}

static bool take_str(reader_t *r, const char **s, uint32_t *n) {
  if (!take(r, n, 4) || (size_t)(r->end - r->p) < *n)
    return false;
  *s = (const char *)r->p;
  r->p += *n;
  return true;
}

static JSValue corrupt(reader_t *r) {
  return JS_ThrowTypeError(r->ctx, "a cloned value is corrupt");
}

static JSValue number(reader_t *r, JSValue obj) {
  r->objs = room_for_one(r->objs, r->nobjs, &r->capobjs, sizeof *r->objs);
  r->objs[r->nobjs++] = obj;
  return obj;
}

/* A member's name, as write_name wrote it: an atom the caller frees, or
 * JS_ATOM_NULL (corrupt). */
static JSAtom take_name(reader_t *r) {
  uint32_t n, len;
  const char *s;
  if (!take(r, &n, 4))
    return JS_ATOM_NULL;
  if (n < r->nnames)
    return JS_DupAtom(r->ctx, r->names[n]);
  if ((n != r->nnames && n != NAME_INLINE) || !take_str(r, &s, &len))
    return JS_ATOM_NULL;
  JSAtom atom = JS_NewAtomLen(r->ctx, s, len);
  if (n == NAME_INLINE || atom == JS_ATOM_NULL)
    return atom;
  r->names = room_for_one(r->names, r->nnames, &r->capnames, sizeof *r->names);
  r->names[r->nnames++] = JS_DupAtom(r->ctx, atom);
  return atom;
}

static JSValue read_value(reader_t *r);
static int read_members(reader_t *r, JSValueConst o);

static JSValue construct(reader_t *r, JSValueConst ctor, int argc, JSValueConst *argv) {
  return JS_CallConstructor(r->ctx, ctor, argc, argv);
}

static JSValue string_of(reader_t *r, const char *s, uint32_t n) {
  return JS_NewStringLen(r->ctx, s, n);
}

static JSValue read_collection(reader_t *r, bool map) {
  JSContext *ctx = r->ctx;
  uint32_t n;
  if (!take(r, &n, 4))
    return corrupt(r);
  JSValue c = number(r, construct(r, map ? r->k->Map : r->k->Set, 0, NULL));
  JSValue add = JS_GetPropertyStr(ctx, c, map ? "set" : "add");
  for (uint32_t i = 0; i < n; i++) {
    JSValue kv[2] = {read_value(r), JS_UNDEFINED};
    if (map && !JS_IsException(kv[0]))
      kv[1] = read_value(r);
    if (JS_IsException(kv[0]) || JS_IsException(kv[1])) {
      JS_FreeValue(ctx, kv[0]);
      JS_FreeValue(ctx, add);
      JS_FreeValue(ctx, c);
      return JS_EXCEPTION;
    }
    JS_FreeValue(ctx, JS_Call(ctx, add, c, map ? 2 : 1, kv));
    JS_FreeValue(ctx, kv[0]);
    JS_FreeValue(ctx, kv[1]);
  }
  JS_FreeValue(ctx, add);
  return c;
}

static JSValue read_typed(reader_t *r) {
  JSContext *ctx = r->ctx;
  const char *name, *bytes;
  uint32_t nlen, blen;
  if (!take_str(r, &name, &nlen) || !take_str(r, &bytes, &blen))
    return corrupt(r);
  char cname[64];
  snprintf(cname, sizeof cname, "%.*s", (int)(nlen < 63 ? nlen : 63), name);
  JSValue buf = JS_NewArrayBufferCopy(ctx, (const uint8_t *)bytes, blen);
  JSValue g = JS_GetGlobalObject(ctx);
  JSValue ctor = JS_GetPropertyStr(ctx, g, cname);
  JSValue out;
  if (strcmp(cname, "Buffer") == 0 && JS_IsObject(ctor)) {   /* Buffer.from(arrayBuffer) */
    JSValue from = JS_GetPropertyStr(ctx, ctor, "from");
    out = JS_Call(ctx, from, ctor, 1, (JSValueConst *)&buf);
    JS_FreeValue(ctx, from);
  } else {
    if (!JS_IsFunction(ctx, ctor) || strcmp(cname, "Buffer") == 0) {
      /* no such class here: the bytes stay bytes */
      JS_FreeValue(ctx, ctor);
      ctor = JS_GetPropertyStr(ctx, g, "Uint8Array");
    }
    out = construct(r, ctor, 1, (JSValueConst *)&buf);
  }
  JS_FreeValue(ctx, ctor);
  JS_FreeValue(ctx, g);
  JS_FreeValue(ctx, buf);
  return number(r, out);
}

static JSValue read_error(reader_t *r) {
  JSContext *ctx = r->ctx;
  const char *s[3];
  uint32_t n[3];
  for (int i = 0; i < 3; i++)
    if (!take_str(r, &s[i], &n[i]))
      return corrupt(r);
  char name[64];
  snprintf(name, sizeof name, "%.*s", (int)(n[0] < 63 ? n[0] : 63), s[0]);
  JSValue g = JS_GetGlobalObject(ctx);
  JSValue ctor = JS_GetPropertyStr(ctx, g, name);   /* TypeError, RangeError, ... */
  if (!JS_IsObject(ctor) || !JS_IsFunction(ctx, ctor)) {
    JS_FreeValue(ctx, ctor);
    ctor = JS_DupValue(ctx, r->k->Error);
  }
  JSValue msg = string_of(r, s[1], n[1]);
  JSValue e = construct(r, ctor, 1, (JSValueConst *)&msg);
  JS_FreeValue(ctx, msg);
  JS_FreeValue(ctx, ctor);
  JS_FreeValue(ctx, g);
  if (JS_IsException(e))
    return e;
  JS_DefinePropertyValueStr(ctx, e, "stack", string_of(r, s[2], n[2]),
                            JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE);
  number(r, e);
  if (read_members(r, e) < 0) {
    JS_FreeValue(ctx, e);
    return JS_EXCEPTION;
  }
  return e;
}

static JSValue read_container(reader_t *r, bool array);

/* The members write_members wrote, onto o (which the caller owns); those
 * that are objects also onto the array objects, if there is one. */
static int read_members_into(reader_t *r, JSValueConst o, JSValueConst objects) {
  uint32_t n, nobjects = 0;
  if (!take(r, &n, 4)) {
    corrupt(r);
    return -1;
  }
  for (uint32_t i = 0; i < n; i++) {
    JSAtom atom = take_name(r);
    if (atom == JS_ATOM_NULL) {
      corrupt(r);
      return -1;
    }
    JSValue v = read_value(r);
    if (JS_IsException(v)) {
      JS_FreeAtom(r->ctx, atom);
      return -1;
    }
    if (JS_IsObject(v) && JS_IsObject(objects))
      JS_SetPropertyUint32(r->ctx, objects, nobjects++, JS_DupValue(r->ctx, v));
    JS_DefinePropertyValue(r->ctx, o, atom, v, JS_PROP_C_W_E);
    JS_FreeAtom(r->ctx, atom);
  }
  return 0;
}

static int read_members(reader_t *r, JSValueConst o) {
  return read_members_into(r, o, JS_UNDEFINED);
}

static JSValue read_container(reader_t *r, bool array) {
  JSContext *ctx = r->ctx;
  uint32_t n;
  if (!array) {
    JSValue o = number(r, JS_NewObject(ctx));
    if (read_members(r, o) < 0) {
      JS_FreeValue(ctx, o);
      return JS_EXCEPTION;
    }
    return o;
  }
  if (!take(r, &n, 4))
    return corrupt(r);
  JSValue o = number(r, JS_NewArray(ctx));
  for (uint32_t i = 0; i < n; i++) {
    JSValue v = read_value(r);
    if (JS_IsException(v)) {
      JS_FreeValue(ctx, o);
      return JS_EXCEPTION;
    }
    JS_SetPropertyUint32(ctx, o, i, v);
  }
  return o;
}

/* T_REVIVE name data: revivers[name](data, session). The object's number is
 * taken before its data is read, as the writer did. */
static JSValue read_revive(reader_t *r) {
  JSContext *ctx = r->ctx;
  const flx_js_handles_t *h = JS_GetContextOpaque(ctx);
  const char *s;
  uint32_t n;
  if (h == NULL || !take_str(r, &s, &n))
    return corrupt(r);
  size_t index = r->nobjs;
  number(r, JS_UNDEFINED);
  char name[128];
  snprintf(name, sizeof name, "%.*s", (int)(n < 127 ? n : 127), s);
  JSValue data = read_value(r);
  if (JS_IsException(data))
    return data;
  JSValue reviver = JS_GetPropertyStr(ctx, h->revivers, name);
  if (!JS_IsFunction(ctx, reviver) && h->load_reviver) {
    JS_FreeValue(ctx, reviver);
    h->load_reviver(ctx, name);
    reviver = JS_GetPropertyStr(ctx, h->revivers, name);
  }
  JSValue v;
  if (!JS_IsFunction(ctx, reviver)) {
    v = JS_ThrowTypeError(ctx, "a cloned value needs the reviver '%s', which is not here", name);
  } else {
    if (JS_IsUndefined(r->session))
      r->session = JS_NewObject(ctx);
    JSValue args[2] = {data, r->session};
    v = JS_Call(ctx, reviver, JS_UNDEFINED, 2, args);
  }
  JS_FreeValue(ctx, reviver);
  JS_FreeValue(ctx, data);
  if (JS_IsException(v))
    return v;
  r->objs[index] = v;
  /* the members write_own wrote: on the object, or none for a value */
  if (r->end - r->p >= 4 && memcmp(r->p, "\0\0\0\0", 4) == 0) {
    r->p += 4;
    return v;
  }
  bool object = JS_IsObject(v);
  JSValue held = object ? JS_NewArray(ctx) : JS_UNDEFINED;
  if (!object || read_members_into(r, v, held) < 0) {
    JS_FreeValue(ctx, held);
    JS_FreeValue(ctx, v);
    return object ? JS_EXCEPTION : corrupt(r);
  }
  JSValue done = JS_GetPropertyStr(ctx, v, "__flx_revived");   /* it may look at them */
  JSValue ok = JS_IsFunction(ctx, done) ? JS_Call(ctx, done, v, 1, (JSValueConst *)&held)
                                        : JS_UNDEFINED;
  JS_FreeValue(ctx, done);
  JS_FreeValue(ctx, held);
  if (JS_IsException(ok)) {
    JS_FreeValue(ctx, v);
    return ok;
  }
  JS_FreeValue(ctx, ok);
  return v;
}

static JSValue read_value(reader_t *r) {
  JSContext *ctx = r->ctx;
  uint8_t tag;
  if (!take(r, &tag, 1) || ++r->depth > MAX_DEPTH + 1)
    return corrupt(r);
  JSValue v;
  const char *s, *s2;
  uint32_t n, n2;
  int32_t i;
  double d;
  switch (tag) {
  case T_UNDEFINED: v = JS_UNDEFINED; break;
  case T_NULL: v = JS_NULL; break;
  case T_FALSE: v = JS_FALSE; break;
  case T_TRUE: v = JS_TRUE; break;
  case T_INT: v = take(r, &i, 4) ? JS_NewInt32(ctx, i) : corrupt(r); break;
  case T_DOUBLE: v = take(r, &d, 8) ? JS_NewFloat64(ctx, d) : corrupt(r); break;
  case T_STRING: v = take_str(r, &s, &n) ? string_of(r, s, n) : corrupt(r); break;
  case T_BIGINT: {
    if (!take_str(r, &s, &n)) {
      v = corrupt(r);
      break;
    }
    JSValue g = JS_GetGlobalObject(ctx), big = JS_GetPropertyStr(ctx, g, "BigInt");
    JSValue text = string_of(r, s, n);
    v = JS_Call(ctx, big, JS_UNDEFINED, 1, (JSValueConst *)&text);
    JS_FreeValue(ctx, text);
    JS_FreeValue(ctx, big);
    JS_FreeValue(ctx, g);
    break;
  }
  case T_ARRAY: v = read_container(r, true); break;
  case T_OBJECT: v = read_container(r, false); break;
  case T_DATE: {
    if (!take(r, &d, 8)) {
      v = corrupt(r);
      break;
    }
    JSValue ms = JS_NewFloat64(ctx, d);
    v = number(r, construct(r, r->k->Date, 1, (JSValueConst *)&ms));
    break;
  }
  case T_REGEXP: {
    if (!take_str(r, &s, &n) || !take_str(r, &s2, &n2)) {
      v = corrupt(r);
      break;
    }
    JSValue args[2] = {string_of(r, s, n), string_of(r, s2, n2)};
    v = number(r, construct(r, r->k->RegExp, 2, args));
    JS_FreeValue(ctx, args[0]);
    JS_FreeValue(ctx, args[1]);
    break;
  }
  case T_MAP: v = read_collection(r, true); break;
  case T_SET: v = read_collection(r, false); break;
  case T_ARRAYBUFFER:
    v = take_str(r, &s, &n) ? number(r, JS_NewArrayBufferCopy(ctx, (const uint8_t *)s, n))
                            : corrupt(r);
    break;
  case T_TYPED: v = read_typed(r); break;
  case T_ERROR: v = read_error(r); break;
  case T_HANDLE: {
    const flx_js_handles_t *h = JS_GetContextOpaque(ctx);
    uint8_t kind;
    void *ptr;
    v = h && take(r, &kind, 1) && kind < 2 && take(r, &ptr, sizeof ptr)
            ? h->wrap(ctx, kind, ptr) : corrupt(r);
    break;
  }
  case T_REVIVE: v = read_revive(r); break;
  case T_REF:
    v = take(r, &n, 4) && n < r->nobjs ? JS_DupValue(ctx, r->objs[n]) : corrupt(r);
    break;
  default: v = corrupt(r); break;
  }
  r->depth--;
  return v;
}

JSValue flx_js_clone_read(JSContext *ctx, const uint8_t *p, size_t len) {
  reader_t r = {.ctx = ctx, .p = p, .end = p + len, .session = JS_UNDEFINED};
  r.k = kinds_of(ctx, &r.scratch);
  JSValue v = read_value(&r);
  if (!JS_IsException(v) && r.p != r.end) {
    JS_FreeValue(ctx, v);
    v = corrupt(&r);
  }
  free(r.objs);
  for (size_t i = 0; i < r.nnames; i++)
    JS_FreeAtom(ctx, r.names[i]);
  free(r.names);
  JS_FreeValue(ctx, r.session);
  kinds_done(ctx, r.k, &r.scratch);
  return v;
}
