/* internal.h — private to the compiler: small tree-sitter helpers and a
 * growth macro that every phase uses. */
#ifndef FLXC_INTERNAL_H
#define FLXC_INTERNAL_H

#include "flxc.h"

#include <stdlib.h>
#include <string.h>

/* Appends item to a realloc'd array (aborts when memory is exhausted). */
#define PUSH(arr, count, item)                                             \
  do {                                                                     \
    (arr) = realloc((arr), ((count) + 1) * sizeof *(arr));                 \
    if ((arr) == NULL)                                                     \
      abort();                                                             \
    (arr)[(count)++] = (item);                                             \
  } while (0)

static inline bool is(TSNode n, const char *type) {
  return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

static inline TSNode field(TSNode n, const char *name) {
  return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* Any node that opens a function scope. */
static inline bool is_function(TSNode n) {
  return is(n, "function_expression") || is(n, "arrow_function") ||
         is(n, "function_declaration") || is(n, "generator_function") ||
         is(n, "generator_function_declaration") || is(n, "method_definition");
}

/* An async function (or arrow, or method). */
static inline bool is_async(TSNode fn) {
  uint32_t k = ts_node_child_count(fn);
  for (uint32_t i = 0; i < k; i++)
    if (is(ts_node_child(fn, i), "async"))
      return true;
  return false;
}

/* pipeline.c: callees that do not change what they are given (res.json,
 * String, JSON.stringify...), by the text of the callee. */
bool flxc_harmless_callee(const char *callee);
/* The number N of the application's own file that b stands for (module$N,
 * or a value taken from its exports: link.c), or -1. */
int flxc_linked_module(const flxc_unit_t *u, const flxc_binding_t *b);

#endif /* FLXC_INTERNAL_H */
