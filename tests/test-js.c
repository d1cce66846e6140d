/* test-js.c — the JavaScript host: structured clone between two QuickJS
 * runtimes (two workers), for every kind of value it carries, and the error
 * that names the fluxion and the variable when a value cannot cross. */
#include "test.h"
#include "../src/js/js.h"

typedef struct pair_s {
  JSRuntime *rt[2];
  JSContext *ctx[2];
} pair_t;

static void pair_open(pair_t *p) {
  for (int i = 0; i < 2; i++) {
    p->rt[i] = flx_js_new_runtime();
    p->ctx[i] = JS_NewContext(p->rt[i]);
  }
}

static void pair_close(pair_t *p) {
  for (int i = 0; i < 2; i++) {
    JS_FreeContext(p->ctx[i]);
    JS_FreeRuntime(p->rt[i]);   /* QuickJS asserts that nothing leaked */
  }
}

static JSValue eval(JSContext *ctx, const char *code) {
  JSValue v = JS_Eval(ctx, code, strlen(code), "<test>", JS_EVAL_TYPE_GLOBAL);
  if (JS_IsException(v)) {
    JSValue e = JS_GetException(ctx);
    const char *s = JS_ToCString(ctx, e);
    FAIL("%s: %s", code, s);
  }
  return v;
}

/* Makes `make` in runtime 0, clones it into runtime 1 as `v`, and checks
 * `check` there. */
static void round_trip(pair_t *p, const char *make, const char *check) {
  flx_js_bytes_t bytes = {0};
  JSValue v = eval(p->ctx[0], make);
  ASSERT_OK(flx_js_clone_write(p->ctx[0], v, "f", "v", &bytes));
  JS_FreeValue(p->ctx[0], v);
  JSValue copy = flx_js_clone_read(p->ctx[1], bytes.p, bytes.len);
  ASSERT(!JS_IsException(copy));
  JSValue g = JS_GetGlobalObject(p->ctx[1]);
  JS_SetPropertyStr(p->ctx[1], g, "v", copy);
  JS_FreeValue(p->ctx[1], g);
  JSValue ok = eval(p->ctx[1], check);
  if (!JS_ToBool(p->ctx[1], ok))
    FAIL("after cloning (%s), false: %s", make, check);
  JS_FreeValue(p->ctx[1], ok);
  JS_FreeValue(p->ctx[1], eval(p->ctx[1], "delete globalThis.v"));
  flx_js_bytes_free(&bytes);
}

TEST_IMPL(js_clone_every_kind) {
  pair_t p;
  pair_open(&p);
  round_trip(&p, "undefined", "v === undefined");
  round_trip(&p, "null", "v === null");
  round_trip(&p, "true", "v === true");
  round_trip(&p, "-42", "v === -42");
  round_trip(&p, "0.1 + 0.2", "v === 0.1 + 0.2");
  round_trip(&p, "-0", "Object.is(v, -0)");
  round_trip(&p, "NaN", "Number.isNaN(v)");
  round_trip(&p, "12345678901234567890n", "v === 12345678901234567890n");
  round_trip(&p, "'h\\u00e9llo \\u{1F600} \\0 end'", "v === 'h\\u00e9llo \\u{1F600} \\0 end'");
  round_trip(&p, "[1, 'two', [3], , 5]", "v.length === 5 && v[1] === 'two' && v[2][0] === 3 && v[3] === undefined");
  round_trip(&p, "({a: 1, b: {c: [true]}, 'x y': null})",
             "v.a === 1 && v.b.c[0] === true && v['x y'] === null && Object.keys(v).join() === 'a,b,x y'");
  round_trip(&p, "new Date(1234567890123)", "v instanceof Date && v.getTime() === 1234567890123");
  round_trip(&p, "/a+b/gi", "v instanceof RegExp && v.source === 'a+b' && v.flags === 'gi'");
  round_trip(&p, "new Map([['a', 1], [{k: 2}, new Set([3])]])",
             "v instanceof Map && v.get('a') === 1 && [...v.keys()][1].k === 2 && [...v.values()][1].has(3)");
  round_trip(&p, "new Set(['x', 2])", "v instanceof Set && v.has('x') && v.has(2) && v.size === 2");
  round_trip(&p, "new Uint8Array([1, 2, 255]).buffer", "v instanceof ArrayBuffer && new Uint8Array(v)[2] === 255");
  round_trip(&p, "new Float64Array([1.5, 2.5]).subarray(1)", "v instanceof Float64Array && v.length === 1 && v[0] === 2.5");
  round_trip(&p, "new Int16Array([-3, 7])", "v instanceof Int16Array && v[0] === -3 && v[1] === 7");
  round_trip(&p, "new RangeError('too far')",
             "v instanceof RangeError && v.message === 'too far' && typeof v.stack === 'string'");
  pair_close(&p);
  return 0;
}

/* A name is written once, then by its number: records repeat their names,
 * nested objects share some, and past 4,096 names each is written whole. */
TEST_IMPL(js_clone_numbers_names) {
  pair_t p;
  pair_open(&p);
  round_trip(&p, "[{id: 1, t: 'a', done: false}, {id: 2, t: 'b', done: true}, {t: 'c', id: 3}]",
             "v.length === 3 && v[1].t === 'b' && v[1].done === true && v[2].id === 3 && "
             "Object.keys(v[2]).join() === 't,id'");
  round_trip(&p, "({a: {a: {b: 1}, b: [{a: 2}]}, b: 3, 2: 'x'})",
             "v.a.a.b === 1 && v.a.b[0].a === 2 && v.b === 3 && Object.keys(v).join() === '2,a,b'");
  round_trip(&p, "(() => { const big = {}; for (let i = 0; i < 5000; i++) big['k' + i] = i;"
                 " return [big, {k4500: 'late', k10: 'early'}, {k4500: 'again'}]; })()",
             "Object.keys(v[0]).length === 5000 && v[0].k0 === 0 && v[0].k4999 === 4999 && "
             "v[1].k4500 === 'late' && v[1].k10 === 'early' && v[2].k4500 === 'again'");
  pair_close(&p);
  return 0;
}

TEST_IMPL(js_clone_keeps_shared_references_and_cycles) {
  pair_t p;
  pair_open(&p);
  round_trip(&p, "(() => { const o = {n: 1}; o.self = o; return o; })()", "v.self === v && v.n === 1");
  round_trip(&p, "(() => { const s = {}; return {a: s, b: [s], c: new Map([[s, s]])}; })()",
             "v.a === v.b[0] && v.c.get(v.a) === v.a");
  round_trip(&p, "(() => { const a = []; a.push(a, a); return a; })()", "v[0] === v && v[1] === v");
  pair_close(&p);
  return 0;
}

/* The value is written, not the original: later changes do not travel. */
TEST_IMPL(js_clone_is_a_copy) {
  pair_t p;
  pair_open(&p);
  flx_js_bytes_t bytes = {0};
  JSValue v = eval(p.ctx[0], "globalThis.o = {n: 1}; o");
  ASSERT_OK(flx_js_clone_write(p.ctx[0], v, "f", "o", &bytes));
  JS_FreeValue(p.ctx[0], v);
  JS_FreeValue(p.ctx[0], eval(p.ctx[0], "o.n = 2"));
  JSValue copy = flx_js_clone_read(p.ctx[1], bytes.p, bytes.len);
  JSValue n = JS_GetPropertyStr(p.ctx[1], copy, "n");
  int32_t got;
  JS_ToInt32(p.ctx[1], &got, n);
  ASSERT_EQ(got, 1);
  JS_FreeValue(p.ctx[1], n);
  JS_FreeValue(p.ctx[1], copy);
  flx_js_bytes_free(&bytes);
  /* Corrupt bytes are an error, not a crash. */
  static const uint8_t bad[] = {10, 5, 0, 0, 0, 1};
  JSValue e = flx_js_clone_read(p.ctx[1], bad, sizeof bad);
  ASSERT(JS_IsException(e));
  JS_FreeValue(p.ctx[1], JS_GetException(p.ctx[1]));
  pair_close(&p);
  return 0;
}

/* What cannot cross is an error naming the fluxion and where it is. */
static void expect_refused(pair_t *p, const char *make, const char *message) {
  flx_js_bytes_t bytes = {0};
  JSValue v = eval(p->ctx[0], make);
  ASSERT_EQ(flx_js_clone_write(p->ctx[0], v, "reply", "res", &bytes), -1);
  JS_FreeValue(p->ctx[0], v);
  JSValue e = JS_GetException(p->ctx[0]);
  ASSERT(JS_IsError(p->ctx[0], e));
  JSValue m = JS_GetPropertyStr(p->ctx[0], e, "message");
  const char *s = JS_ToCString(p->ctx[0], m);
  ASSERT_STR_EQ(s, message);
  JS_FreeCString(p->ctx[0], s);
  JS_FreeValue(p->ctx[0], m);
  JS_FreeValue(p->ctx[0], e);
  flx_js_bytes_free(&bytes);
}

TEST_IMPL(js_clone_refuses_functions_by_name) {
  pair_t p;
  pair_open(&p);
  expect_refused(&p, "(function () {})",
                 "fluxion reply: res is a function, which cannot cross to another worker");
  expect_refused(&p, "({locals: {user: {save() {}}}})",
                 "fluxion reply: res.locals.user.save is a function, which cannot cross to another worker");
  expect_refused(&p, "[{a: 1, b: 2}, {b: 3, a: {c: () => 1}}]",
                 "fluxion reply: res[1].a.c is a function, which cannot cross to another worker");
  expect_refused(&p, "[1, [2, Symbol('s')]]",
                 "fluxion reply: res[1][1] is a symbol, which cannot cross to another worker");
  expect_refused(&p, "new Map([['k', () => 1]])",
                 "fluxion reply: res[0] is a function, which cannot cross to another worker");
  expect_refused(&p, "({p: Promise.resolve(1)})",
                 "fluxion reply: res.p is a promise, which cannot cross to another worker");
  expect_refused(&p, "new WeakMap()",
                 "fluxion reply: res is a weak collection, which cannot cross to another worker");
  pair_close(&p);
  return 0;
}

/* An object that describes itself as [name, data, own, skip] is made by the
 * reviver `name` from data; own's properties then follow onto it, less its
 * functions and the names in skip, and may refer back to it; its
 * __flx_revived is told which of them are objects. */
TEST_IMPL(js_clone_revives_with_own_members) {
  pair_t p;
  pair_open(&p);
  flx_js_handles_t handles = {.revivers = JS_NewObject(p.ctx[1])};
  JS_SetContextOpaque(p.ctx[1], &handles);
  JS_FreeValue(p.ctx[1], eval(p.ctx[1], "globalThis.Point = class Point {\n"
                                       "  __flx_revived(held) { this.revived = held; }\n"
                                       "}"));
  JSValue g = JS_GetGlobalObject(p.ctx[1]);
  JS_SetPropertyStr(p.ctx[1], g, "revivers", JS_DupValue(p.ctx[1], handles.revivers));
  JS_FreeValue(p.ctx[1], g);
  JS_FreeValue(p.ctx[1], eval(p.ctx[1],
      "revivers.point = (d, session) => { const o = new Point(); o.made = d; return o; }"));
  round_trip(&p,
             "(() => {\n"
             "  class Point { __flx_clone() { return ['point', 'by data', this, ['secret']]; } }\n"
             "  const o = new Point();\n"
             "  Object.assign(o, {x: 1, secret: 2, fn() {}, self: o, list: [o]});\n"
             "  return {o};\n"
             "})()",
             "v.o instanceof Point && v.o.made === 'by data' && v.o.x === 1 && v.o.self === v.o\n"
             "  && v.o.list[0] === v.o && !('secret' in v.o) && !('fn' in v.o)\n"
             "  && v.o.revived.length === 2 && v.o.revived[0] === v.o && v.o.revived[1] === v.o.list");
  /* Without own, nothing follows. */
  round_trip(&p, "({__flx_clone() { return ['point', 7]; }, x: 1})",
             "v instanceof Point && v.made === 7 && !('x' in v)");
  JS_FreeValue(p.ctx[1], eval(p.ctx[1], "delete globalThis.revivers"));
  JS_FreeValue(p.ctx[1], handles.revivers);
  flx_js_clone_release(p.ctx[1]);
  pair_close(&p);
  return 0;
}

/* flx_js_clone_check refuses what the write refuses, with the same words,
 * but asks no object how it crosses: nothing is copied. */
TEST_IMPL(js_clone_check_copies_nothing) {
  pair_t p;
  pair_open(&p);
  JSValue v = eval(p.ctx[0], "({locals: {user: {save() {}}}})");
  ASSERT_EQ(flx_js_clone_check(p.ctx[0], v, "reply", "res"), -1);
  JS_FreeValue(p.ctx[0], v);
  JSValue e = JS_GetException(p.ctx[0]);
  JSValue m = JS_GetPropertyStr(p.ctx[0], e, "message");
  const char *s = JS_ToCString(p.ctx[0], m);
  ASSERT_STR_EQ(s, "fluxion reply: res.locals.user.save is a function, which cannot cross "
                   "to another worker");
  JS_FreeCString(p.ctx[0], s);
  JS_FreeValue(p.ctx[0], m);
  JS_FreeValue(p.ctx[0], e);
  v = eval(p.ctx[0],
           "globalThis.asked = 0;\n"
           "const o = {n: [1, {d: new Date(0)}], m: new Map([['k', 1]])};\n"
           "o.self = o;\n"
           "[o, {__flx_clone() { asked++; return ['x', () => 1]; }}]");
  ASSERT_OK(flx_js_clone_check(p.ctx[0], v, "reply", "res"));
  JS_FreeValue(p.ctx[0], v);
  JSValue asked = eval(p.ctx[0], "asked");
  ASSERT_EQ(JS_VALUE_GET_INT(asked), 0);
  pair_close(&p);
  return 0;
}

static int64_t heap_size(JSRuntime *rt) {
  JSMemoryUsage m;
  JS_ComputeMemoryUsage(rt, &m);
  return m.malloc_size;
}

/* A request leaves its objects in cycles that only the collector frees.
 * QuickJS collects once its heap has grown by 4 MiB at least
 * (deps/quickjs/gc-pace.patch), not by half of a worker's ~1 MiB heap: 2 MiB
 * of cycles stay until 4 MiB of them have been made. */
TEST_IMPL(js_collector_waits_for_four_mib) {
  JSRuntime *rt = flx_js_new_runtime();
  JSContext *ctx = JS_NewContext(rt);
  const char *pairs = "for (let i = 0; i < globalThis.pairs; i++) {\n"
                      "  const a = { s: 'x'.repeat(100) + i }, b = { a };\n"
                      "  a.b = b;\n"
                      "}";
  JS_SetGCThreshold(rt, 0);   /* the next allocation collects and sets the pace */
  JS_FreeValue(ctx, eval(ctx, "globalThis.pairs = 1000"));
  int64_t base = heap_size(rt);
  ASSERT(base < (1 << 20));   /* QuickJS's own pace would collect after half of it */
  JS_FreeValue(ctx, eval(ctx, pairs));
  int64_t per_pair = (heap_size(rt) - base) / 1000;
  ASSERT(per_pair > 100);
  char count[64];
  snprintf(count, sizeof count, "globalThis.pairs = %lld", (long long)((2 << 20) / per_pair));
  JS_FreeValue(ctx, eval(ctx, count));
  JS_FreeValue(ctx, eval(ctx, pairs));
  ASSERT(heap_size(rt) > base + (2 << 20));   /* 2 MiB and more: all kept */
  JS_FreeValue(ctx, eval(ctx, pairs));
  JS_FreeValue(ctx, eval(ctx, pairs));
  ASSERT(heap_size(rt) < base + (4 << 20));   /* past 4 MiB: collected */
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  return 0;
}

