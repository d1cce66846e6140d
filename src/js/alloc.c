/* alloc.c — QuickJS's allocator for the workers: malloc with each block's
 * size kept in a header in front of it. QuickJS counts the bytes it holds
 * (its GC runs when they grow by half); its default asks malloc_usable_size
 * at every malloc, realloc and free, a few hundred times a request: with
 * mimalloc, as many instructions as the allocations themselves (6.6 % of an
 * Express request, bench/RESULTS.md). */
#include "js.h"

#include <stdlib.h>

/* 16 bytes keep the block's alignment what malloc's is. */
#define HEADER 16

static size_t *header_of(const void *ptr) { return (size_t *)((char *)ptr - HEADER); }

static void *header_alloc(JSMallocState *s, size_t size) {
  if (s->opaque != NULL)   /* after the runtime's own block, s is the runtime's */
    ((flx_js_heap_t *)s->opaque)->state = s;
  if (s->malloc_size + size > s->malloc_limit)
    return NULL;
  size_t *h = malloc(HEADER + size);
  if (h == NULL)
    return NULL;
  *h = size;
  s->malloc_count++;
  s->malloc_size += HEADER + size;
  return (char *)h + HEADER;
}

static void header_free(JSMallocState *s, void *ptr) {
  if (ptr == NULL)
    return;
  size_t *h = header_of(ptr);
  s->malloc_count--;
  s->malloc_size -= HEADER + *h;
  free(h);
}

static void *header_realloc(JSMallocState *s, void *ptr, size_t size) {
  if (ptr == NULL)
    return size ? header_alloc(s, size) : NULL;
  if (size == 0) {
    header_free(s, ptr);
    return NULL;
  }
  size_t old = *header_of(ptr);
  if (s->malloc_size + size - old > s->malloc_limit)
    return NULL;
  size_t *h = realloc(header_of(ptr), HEADER + size);
  if (h == NULL)
    return NULL;
  *h = size;
  s->malloc_size += size - old;
  return (char *)h + HEADER;
}

static size_t header_usable_size(const void *ptr) { return ptr ? *header_of(ptr) : 0; }

static const JSMallocFunctions allocator = {header_alloc, header_free, header_realloc, header_usable_size};

JSRuntime *flx_js_new_runtime(flx_js_heap_t *heap) {
  JSRuntime *rt = JS_NewRuntime2(&allocator, heap);
  if (rt != NULL && heap != NULL) {
    js_free_rt(rt, js_malloc_rt(rt, 1));   /* heap->state is the runtime's now */
    heap->collect_at = heap->state->malloc_size + FLX_JS_GC_SLACK;
    JS_SetGCThreshold(rt, heap->collect_at + FLX_JS_GC_SLACK);
  }
  return rt;
}

/* The cycle collector's pace. QuickJS collects when its heap has grown by
 * half since the last collection. A request leaves its req, res and the
 * router's closures in cycles, which only the collector frees, and each
 * collection marks the whole heap, the built-in modules' code included: with
 * a worker's few MiB it ran every few hundred requests, a tenth of an Express
 * request's CPU (bench/RESULTS.md). A worker collects at the end of a turn
 * once its heap has grown by half or by FLX_JS_GC_SLACK, whichever is more;
 * QuickJS's own trigger stays a slack beyond, for a turn that makes that much
 * garbage by itself (and resets to its own pace when it fires, until the
 * next turn's end sets it back). */
void flx_js_collect(JSRuntime *rt, flx_js_heap_t *heap) {
  size_t used = heap->state->malloc_size;
  if (used > heap->collect_at) {
    JS_RunGC(rt);
    used = heap->state->malloc_size;
    heap->collect_at = used + (used / 2 > FLX_JS_GC_SLACK ? used / 2 : FLX_JS_GC_SLACK);
  }
  JS_SetGCThreshold(rt, heap->collect_at + FLX_JS_GC_SLACK);
}
