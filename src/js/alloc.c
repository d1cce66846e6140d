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

JSRuntime *flx_js_new_runtime(void) { return JS_NewRuntime2(&allocator, NULL); }
