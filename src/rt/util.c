/* util.c — allocation helpers and the run queue's FIFO.
 *
 * Allocation failure aborts: a runtime that cannot allocate a message can
 * keep none of its promises (exactly-once delivery, an answer per request),
 * and every caller checking for NULL would only hide that. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void *check(void *p, size_t n) {
  if (p == NULL && n != 0) {
    fprintf(stderr, "flx: out of memory (%zu bytes)\n", n);
    abort();
  }
  return p;
}

void *flx__malloc(size_t n) { return check(malloc(n), n); }
void *flx__calloc(size_t n, size_t size) { return check(calloc(n, size), n * size); }
void *flx__realloc(void *p, size_t n) { return check(realloc(p, n), n); }

char *flx__strdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(flx__malloc(n), s, n);
}

void flx__fifo_push(flx__fifo_t *q, flx__task_t *t) {
  t->next = NULL;
  if (q->tail)
    q->tail->next = t;
  else
    q->head = t;
  q->tail = t;
  q->len++;
}

void flx__fifo_insert(flx__fifo_t *q, flx__task_t *after, flx__task_t *t) {
  t->next = after ? after->next : q->head;
  if (after)
    after->next = t;
  else
    q->head = t;
  if (q->tail == after)
    q->tail = t;
  q->len++;
}

flx__task_t *flx__fifo_pop(flx__fifo_t *q) {
  flx__task_t *t = q->head;
  if (t == NULL)
    return NULL;
  q->head = t->next;
  if (q->head == NULL)
    q->tail = NULL;
  q->len--;
  t->next = NULL;
  return t;
}
