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

/* Where a file of a multi-file application starts in the joined program. */
typedef struct flxc_file_s {
  char *path;
  int first_line;
} flxc_file_t;

typedef struct flxc_unit_s {
  char *path;               /* as given, for messages */
  char *src;                /* the source text, NUL-terminated */
  size_t len;
  TSTree *tree;
  flxc_file_t *files;       /* link.c: the files joined, in order; else none */
  size_t nfiles;
} flxc_unit_t;

/* Parses a JavaScript source. A syntax error fills *err (file:line:col, the
 * line, the caret: flxl_error_print) and returns -1. */
int flxc_parse_string(const char *path, const char *src, size_t len,
                      flxc_unit_t *out, flxl_error_t *err);
void flxc_unit_free(flxc_unit_t *u);

/* link.c: an application and the relative files it requires, joined into one
 * program (see link.c); a single file is parsed as it is. */
int flxc_parse_app(const char *path, flxc_unit_t *out, flxl_error_t *err);
/* The file and line that a line of the (joined) program comes from. */
void flxc_unit_position(const flxc_unit_t *u, int line, const char **file, int *file_line);

/* A whole file, NUL-terminated (its length in *len if len); NULL if it cannot
 * be read. The caller frees it. */
char *flxc_read_file(const char *path, size_t *len);

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
  bool call;                /* the write is a method call (list.push) */
} flxc_ref_t;

struct flxc_binding_s {
  char *name;
  flxc_binding_kind_t kind;
  flxc_scope_t *scope;
  TSNode node;              /* the declaring identifier */
  TSNode decl;              /* the declaration (function, declarator, ...) */
  flxc_ref_t **refs;
  size_t nrefs;
  TSNode *alias_writes;     /* writes through another name (alias.c) */
  size_t nalias_writes;
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
  flxc_ref_t **by_start;    /* the same, sorted by position: see ref_at */
} flxc_scopes_t;

flxc_scopes_t *flxc_scope_analyze(const flxc_unit_t *u);
/* alias.c: records on each variable the writes made through another name
 * (const u = users.find(...); u.n++). Run by flxc_scope_analyze. */
void flxc_alias_analyze(const flxc_scopes_t *s);
void flxc_scope_free(flxc_scopes_t *s);
/* Whether a method of this name is known not to change its object (slice,
 * map, get, has, ...). */
bool flxc_pure_method(const char *name);
/* Whether OBJECT.METHOD(x, ...) changes x (Object.assign, defineProperty,
 * defineProperties, setPrototypeOf). */
bool flxc_writes_first_argument(const char *object, const char *method);
/* The function a binding names: its function declaration, or the function
 * a variable was declared with and is never assigned again; else null. */
TSNode flxc_binding_function(const flxc_binding_t *b);
/* The scope that a node (a function, a block, ...) opened, or NULL. */
flxc_scope_t *flxc_scope_of(const flxc_scopes_t *s, TSNode node);
flxc_binding_t *flxc_scope_lookup(flxc_scope_t *sc, const char *name);
/* The reference an identifier node makes, or NULL (O(log n)). */
flxc_ref_t *flxc_scope_ref_at(const flxc_scopes_t *s, TSNode id);
/* The index in by_start of the first reference at or after byte `from`. */
size_t flxc_scope_first_ref(const flxc_scopes_t *s, uint32_t from);
/* Whether b is written after its declaration: assigned again (b = ..., b++),
 * or with through_object also changed through it (b.x = ..., b.push(...)),
 * or through another name that holds its objects (alias.c). */
bool flxc_binding_changed(const flxc_binding_t *b, bool through_object);
/* A stable text form of the analysis, for tests and `flx compile --scopes`. */
void flxc_scope_dump(const flxc_scopes_t *s, FILE *out);

/* ---- json.c: a small JSON reader (package.json) ----------------------- */

typedef enum flxc_json_kind {
  FLXC_JSON_NULL, FLXC_JSON_TRUE, FLXC_JSON_FALSE, FLXC_JSON_NUMBER, FLXC_JSON_STRING,
  FLXC_JSON_ARRAY, FLXC_JSON_OBJECT
} flxc_json_kind_t;

typedef struct flxc_json_s {
  flxc_json_kind_t kind;
  char *key;                /* in an object: the member's name */
  char *string;
  double number;
  struct flxc_json_s **items;   /* array elements or object members */
  size_t n;
} flxc_json_t;

/* NULL on a mistake: *error says what, *offset where. */
flxc_json_t *flxc_json_parse(const char *text, const char **error, size_t *offset);
const flxc_json_t *flxc_json_get(const flxc_json_t *obj, const char *key);
void flxc_json_free(flxc_json_t *j);

/* ---- analyze.c: rupture points (seed 000 §3.1) ------------------------ */

/* A call of a known asynchronous callee with a function argument: the
 * argument is a callback, the start of a new application part. */
typedef struct flxc_rupture_s {
  TSNode call;              /* the call_expression */
  TSNode arg;               /* the argument that becomes a placeholder */
  TSNode fn;                /* the callback's function node, or null */
  flxl_kind_t kind;         /* start (listener) or post (continuation) */
  char *callee;             /* as written, e.g. "app.get" */
  bool route;               /* an Express app's or router's handler (app.get, use) */
} flxc_rupture_t;

/* Asynchronous callees the application adds (--async FILE): lines of
 * "start NAME" or "post NAME", NAME as the callee is written ("db.query"). */
typedef struct flxc_async_s {
  char **names;
  flxl_kind_t *kinds;
  size_t n;
} flxc_async_t;

int flxc_async_load(flxc_async_t *a, const char *path, flxl_error_t *err);
/* The "flx": {"async": {"NAME": "start" | "post"}} key of the package.json
 * nearest to the application (its folder, then the folders above). Returns 0
 * also when there is none. */
int flxc_async_from_package(flxc_async_t *a, const char *app, flxl_error_t *err);
void flxc_async_free(flxc_async_t *a);

typedef struct flxc_diag_s {
  int line, col;
  char *message;
} flxc_diag_t;

typedef struct flxc_analysis_s {
  flxc_rupture_t *ruptures;
  size_t n;
  flxc_diag_t *warnings;
  size_t nwarnings;
} flxc_analysis_t;

void flxc_analyze(const flxc_unit_t *u, const flxc_scopes_t *s, const flxc_async_t *extra,
                  flxc_analysis_t *out);
void flxc_analysis_free(flxc_analysis_t *a);
void flxc_warn(flxc_diag_t **list, size_t *n, TSNode at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- pipeline.c: fluxions, streams, contexts, groups (seed 000 §3.2) --- */

typedef struct flxc_fluxion_s flxc_fluxion_t;

struct flxc_fluxion_s {
  char *name;
  TSNode fn;                /* the callback; null for main; for a
                               continuation, the async function it ends */
  uint32_t from, to;        /* a continuation: the statements after an
                               await, as bytes of fn's body; a state
                               section: its statements; else 0, 0 */
  flxc_fluxion_t *parent;   /* upstream: where its rupture point is */
  flxl_kind_t kind;         /* of the stream from the parent */
  TSNode *sites;            /* the arguments its placeholders replace */
  size_t nsites;
  int group;                /* index in groups, or -1 */
  flxc_binding_t **ctx;     /* its context: state it reads or writes */
  size_t nctx;
  flxc_binding_t **msg;     /* what the stream from the parent carries */
  size_t nmsg;
  int line, col;
  int index;                /* in the pipeline's fluxions */
  flxc_fluxion_t **site_owners;   /* the fluxion each site is in */
  flxc_fluxion_t *def_owner;      /* the fluxion its function is written in */
  bool dropped;             /* must stay a plain function (pipeline.c) */
  bool route;               /* every rupture point is an Express route's */
  bool unnamed;             /* touches state it does not name (req.app) */
  bool section;             /* a group handler's state section (section.c) */
  flxc_binding_t **ins;     /* a section's inputs: the handler's variables */
  size_t nins;
  flxc_binding_t **outs;    /* and outputs: its variables read after it */
  size_t nouts;
  unsigned parts;           /* the request's parts it is given (req.params):
                               bits of flxc_request_parts */
  flxc_binding_t *req;      /* the handler's request parameter */
  TSNode *exits;            /* the handler's returns in it: each gives back
                               its number, and returns where the handler is */
  size_t nexits;
  TSNode *reads;            /* reads of the state after it (res.json(hits)),
                               taken at its end and given back with its outputs */
  size_t nreads;
};

/* Code declared or run in a group's scope: a helper that touches the group's
 * state (the fluxions that call it are in that group; main keeps its own
 * declaration, as it may call it while starting), or a top-level statement of
 * main that works on the group's state only (moved there from main). */
typedef struct flxc_group_code_s {
  flxc_binding_t *helper;   /* NULL: a statement moved from main */
  TSNode fn;                /* the helper's function (or class) node, or the statement */
  int group;                /* -2: a statement run on every worker (replicated) */
} flxc_group_code_t;

typedef struct flxc_pipeline_s {
  const flxc_unit_t *unit;
  const flxc_scopes_t *scopes;
  flxc_fluxion_t **fluxions;   /* [0] is main */
  size_t n;
  char **groups;
  size_t ngroups;
  flxc_binding_t **replicated;
  size_t nreplicated;
  flxc_group_code_t *group_code;   /* helpers and statements in a group's scope */
  size_t ngroup_code;
  flxc_binding_t **group_only;     /* group variables main does not declare */
  size_t ngroup_only;
  flxc_binding_t **from_main;      /* group variables that start from main's value */
  size_t nfrom_main;
  flxc_diag_t *warnings;       /* the analyzer's, then the pipeliner's */
  size_t nwarnings;
  flxc_fluxion_t **by_fn;      /* callback fluxions sorted by position */
  size_t nby_fn;
  struct flxc_regions_s *regions;  /* the code of each fluxion, for owner_of */
} flxc_pipeline_t;

void flxc_pipeline(const flxc_unit_t *u, const flxc_scopes_t *s, flxc_analysis_t *an,
                   flxc_pipeline_t *out);
void flxc_pipeline_free(flxc_pipeline_t *p);
/* The fluxion made of callback fn, or NULL. */
flxc_fluxion_t *flxc_fluxion_of(const flxc_pipeline_t *p, TSNode fn);
/* The fluxion whose code contains node: the innermost callback around it. */
flxc_fluxion_t *flxc_owner_of(const flxc_pipeline_t *p, TSNode node);

/* ---- section.c: a group handler's state statements (docs/compiler.md) -- */

/* The state section of handler f (an Express handler in a group), made
 * into a fluxion of f's group that f, now stateless, sends to; or NULL where
 * f must stay whole. */
flxc_fluxion_t *flxc_section_of(const flxc_pipeline_t *p, flxc_fluxion_t *f);
/* The parts of a request a section may be given, copied (plain data:
 * "params", "query", "body", ...), NULL-terminated. In the section, `req.body`
 * reads its parameter __flx_req_body. */
extern const char *const flxc_request_parts[];

/* ---- emit.c: the fluxional program, JSON and Graphviz ------------------- */

void flxc_emit_flx(const flxc_pipeline_t *p, flxl_program_t *out);
void flxc_emit_json(const flxc_pipeline_t *p, FILE *out);
void flxc_emit_dot(const flxc_pipeline_t *p, FILE *out);
void flxc_emit_warnings(const flxc_pipeline_t *p, FILE *out);

/* ---- explain.c: the groups and why each exists, in words (--explain) --- */

void flxc_emit_explain(const flxc_pipeline_t *p, FILE *out);

/* A stream: from the fluxion with a rupture point to the one it starts.
 * msg is set on the stream from the parent (the one that carries the
 * chain's variables); the others carry none. */
typedef struct flxc_stream_s {
  const flxc_fluxion_t *from, *to;
  bool primary;
} flxc_stream_t;

/* Every stream of the pipeline, each (from, to) once, in fluxion order. */
size_t flxc_streams(const flxc_pipeline_t *p, flxc_stream_t **out);

#endif /* FLXC_H */
