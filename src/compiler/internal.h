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

#endif /* FLXC_INTERNAL_H */
