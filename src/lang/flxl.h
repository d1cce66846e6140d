/* flxl.h — the fluxional language (.flx): its syntax tree, parser and
 * printer (prefix flxl_). The compiler builds this tree and prints it; the
 * JavaScript host parses it and runs it. docs/flx-language.md is the spec. */
#ifndef FLXL_H
#define FLXL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum flxl_kind {
  FLXL_START,               /* >>: a listener; each call begins a chain */
  FLXL_POST                 /* ->: a continuation of the chain */
} flxl_kind_t;

typedef struct flxl_list_s {
  char **items;
  size_t n;
} flxl_list_t;

typedef struct flxl_stream_s {
  flxl_kind_t kind;
  flxl_list_t dest;         /* the fluxions it reaches */
  flxl_list_t msg;          /* the variables each message carries */
  int line;
} flxl_stream_t;

typedef struct flxl_var_s {
  char *name;
  char *init;               /* a JavaScript expression, or NULL */
  bool from_main;           /* `name from main`: main's value, once main ran */
} flxl_var_t;

/* Where a callback was: `kind dest` at body[offset .. offset + len). */
typedef struct flxl_hole_s {
  size_t offset, len;
  flxl_kind_t kind;
  char *dest;
} flxl_hole_t;

/* What a top-level item of a program is. */
typedef enum flxl_item {
  FLXL_FLUXION,
  FLXL_REPLICATED,          /* declarations on every worker: only body is set */
  FLXL_GROUP_CODE           /* declarations in group `name`'s scope: name,
                               origin and body are set */
} flxl_item_t;

typedef struct flxl_fluxion_s {
  flxl_item_t item;
  char *name;
  flxl_list_t tags;         /* groups */
  flxl_var_t *ctx;
  size_t nctx;
  char *origin_file;        /* @ file:line:col, or NULL */
  int origin_line, origin_col;
  bool sends_nothing;       /* -> null */
  flxl_stream_t *streams;
  size_t nstreams;
  char *body;               /* JavaScript, indentation removed, ends in \n */
  int body_line;            /* the .flx line of the body's first line */
  flxl_hole_t *holes;
  size_t nholes;
  int line;                 /* the .flx line of the header */
} flxl_fluxion_t;

typedef struct flxl_program_s {
  flxl_fluxion_t *items;    /* fluxions, replicated and group blocks, in order */
  size_t n;
} flxl_program_t;

typedef struct flxl_error_s {
  char *file;
  int line, col;            /* 1-based */
  char *message;
  char *source_line;        /* the line as written, without its newline */
} flxl_error_t;

/* Parses text (len bytes, named file in messages). On success fills *out and
 * returns 0; on a mistake fills *err and returns -1. */
int flxl_parse(const char *file, const char *text, size_t len,
               flxl_program_t *out, flxl_error_t *err);
void flxl_program_free(flxl_program_t *p);
const flxl_fluxion_t *flxl_find(const flxl_program_t *p, const char *name);

/* The canonical text of a program; the caller frees it. */
char *flxl_print(const flxl_program_t *p);

/* A NUL-terminated copy of n bytes; aborts when memory is exhausted. */
char *flxl_strndup(const char *s, size_t n);

/* file:line:col: error: message, the line, and a caret under the column. */
void flxl_error_print(const flxl_error_t *e, FILE *out);
void flxl_error_free(flxl_error_t *e);

#endif /* FLXL_H */
