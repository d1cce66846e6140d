/* flxc.h — the compiler's phases and their data (prefix flxc_, one per phase:
 * flxc_parse_ in parse.c, flxc_scope_ in scope.c). Each phase's output is a
 * data structure that can be printed and tested on its own. */
#ifndef FLXC_H
#define FLXC_H

#include "../lang/flxl.h"

#include <stdbool.h>
#include <stdio.h>
#include <tree_sitter/api.h>

/* ---- parse.c: JavaScript source → tree-sitter tree -------------------- */

typedef struct flxc_unit_s {
  char *path;               /* as given, for messages */
  char *src;                /* the source text, NUL-terminated */
  size_t len;
  TSTree *tree;
} flxc_unit_t;

/* Parses a JavaScript source. A syntax error fills *err (file:line:col, the
 * line, the caret: flxl_error_print) and returns -1. */
int flxc_parse_string(const char *path, const char *src, size_t len,
                      flxc_unit_t *out, flxl_error_t *err);
int flxc_parse_file(const char *path, flxc_unit_t *out, flxl_error_t *err);
void flxc_unit_free(flxc_unit_t *u);

/* The text of a node (the caller frees it). */
char *flxc_node_text(const flxc_unit_t *u, TSNode n);

/* ---- scope.c: bindings and references (what escope does) ------------- */

typedef enum flxc_binding_kind {
  FLXC_VAR, FLXC_LET, FLXC_CONST, FLXC_FUNCTION, FLXC_PARAM, FLXC_CATCH,
  FLXC_CLASS, FLXC_IMPORT
} flxc_binding_kind_t;

typedef enum flxc_scope_kind {
  FLXC_SCOPE_PROGRAM, FLXC_SCOPE_FUNCTION, FLXC_SCOPE_BLOCK, FLXC_SCOPE_CATCH
} flxc_scope_kind_t;

/* How a reference uses its variable. A write through the variable's object
 * (`users[id] = x`, `o.n++`, `delete o.k`, `list.push(x)`) is a write of the
 * variable: `member` tells it from an assignment of the variable itself. */
enum {
  FLXC_READ = 1,
  FLXC_WRITE = 2,
  FLXC_READWRITE = FLXC_READ | FLXC_WRITE
};

typedef struct flxc_scope_s flxc_scope_t;
typedef struct flxc_binding_s flxc_binding_t;

typedef struct flxc_ref_s {
  char *name;
  TSNode node;              /* the identifier */
  flxc_binding_t *binding;  /* NULL: a global */
  flxc_scope_t *scope;      /* where the reference is */
  unsigned access;          /* FLXC_READ / WRITE / READWRITE */
  bool member;              /* the write goes through the object */
  bool init;                /* the declaration's own initialiser */
  bool argument;            /* passed as an argument to a call */
} flxc_ref_t;

struct flxc_binding_s {
  char *name;
  flxc_binding_kind_t kind;
  flxc_scope_t *scope;
  TSNode node;              /* the declaring identifier */
  TSNode decl;              /* the declaration (function, declarator, ...) */
  flxc_ref_t **refs;
  size_t nrefs;
};

struct flxc_scope_s {
  flxc_scope_kind_t kind;
  TSNode node;
  flxc_scope_t *parent;
  flxc_scope_t *fn;         /* the nearest function or program scope */
  flxc_binding_t **bindings;
  size_t nbindings;
  flxc_binding_t **free;    /* function scopes: variables from outside */
  size_t nfree;
  bool uses_arguments;      /* reads `arguments` */
};

typedef struct flxc_scopes_s {
  const flxc_unit_t *unit;
  flxc_scope_t **scopes;    /* in source order; [0] is the program */
  size_t nscopes;
  flxc_ref_t **refs;        /* every reference, in source order */
  size_t nrefs;
} flxc_scopes_t;

flxc_scopes_t *flxc_scope_analyze(const flxc_unit_t *u);
void flxc_scope_free(flxc_scopes_t *s);
/* The scope that a node (a function, a block, ...) opened, or NULL. */
flxc_scope_t *flxc_scope_of(const flxc_scopes_t *s, TSNode node);
flxc_binding_t *flxc_scope_lookup(flxc_scope_t *sc, const char *name);
/* A stable text form of the analysis, for tests and `flx compile --scopes`. */
void flxc_scope_dump(const flxc_scopes_t *s, FILE *out);

#endif /* FLXC_H */
