/* pipeline.c — the pipeliner (seed 000 §3.2, made strict by DESIGN.md
 * "Correctness first"): one fluxion per callback plus main, and for every
 * variable the closures no longer share, one of
 *   scope   a top-level variable written after start by one fluxion, read by
 *           no other: it goes into that fluxion's context;
 *   stream  a variable of one chain (declared in a function upstream) read
 *           downstream: it travels with the messages down to the reader;
 *   share   anything else touched by several fluxions where one writes: all
 *           of them form one group (union over shared variables).
 * A chain's variable that changes while its callbacks still use it is not
 * split at all: those callbacks stay closures (keep_chain_state).
 * Top-level variables never written after start, and functions that touch no
 * mutable state, are replicated on every worker. Main runs once, before any
 * other fluxion, so its own reads and writes need no group. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct pipeliner_s {
  const flxc_unit_t *u;
  const flxc_scopes_t *s;
  flxc_pipeline_t *out;
  /* Per fluxion, per top-level binding: the access bits (READ/WRITE). */
  unsigned char *touch;         /* [fluxion * nstate + state] */
  flxc_binding_t **state;       /* top-level variables (not functions) */
  size_t nstate;
  flxc_binding_t **helpers;     /* top-level functions that are no callback */
  TSNode *helper_fns;           /* their function nodes */
  size_t nhelpers;
  struct flxc_regions_s *where; /* fluxions' and helpers' code: runs_in */
  unsigned char *helper_touch;  /* [helper * nstate + state] */
  struct users_s *users;        /* per helper: who calls it */
  int *uf;                      /* union-find over fluxions */
  bool opaque;                  /* eval, with or new Function in a fluxion */
  bool *from_main;              /* per state: fluxions get main's value */
  struct ranges_s *configured;  /* per state: main's b.m(...) handing callbacks over */
} pipeliner_t;

/* Byte ranges: the argument lists of calls. */
typedef struct range_s {
  uint32_t from, to;
} range_t;
typedef struct ranges_s {
  range_t *r;
  size_t n;
} ranges_t;

/* ---- fluxions ---------------------------------------------------------- */

flxc_fluxion_t *flxc_fluxion_of(const flxc_pipeline_t *p, TSNode fn) {
  if (p->by_fn == NULL) {   /* while the fluxions are being made */
    for (size_t i = 1; i < p->n; i++)
      if (p->fluxions[i]->to == 0 && ts_node_eq(p->fluxions[i]->fn, fn))
        return p->fluxions[i];
    return NULL;
  }
  uint32_t at = ts_node_start_byte(fn);
  size_t lo = 0, hi = p->nby_fn;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    uint32_t m = ts_node_start_byte(p->by_fn[mid]->fn);
    if (m == at)
      return ts_node_eq(p->by_fn[mid]->fn, fn) ? p->by_fn[mid] : NULL;
    if (m < at)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static int fluxion_by_start(const void *a, const void *b) {
  uint32_t x = ts_node_start_byte((*(flxc_fluxion_t *const *)a)->fn);
  uint32_t y = ts_node_start_byte((*(flxc_fluxion_t *const *)b)->fn);
  return x < y ? -1 : x > y;
}

/* Callbacks sorted by where their function starts, for flxc_fluxion_of. */
static void index_fluxions(flxc_pipeline_t *p) {
  p->by_fn = malloc(p->n * sizeof *p->by_fn);
  for (size_t i = 1; i < p->n; i++)
    if (p->fluxions[i]->to == 0)
      p->by_fn[p->nby_fn++] = p->fluxions[i];
  qsort(p->by_fn, p->nby_fn, sizeof *p->by_fn, fluxion_by_start);
}

/* ---- regions: which code belongs to which fluxion ------------------------
 * Fluxions' code (functions, continuations) and helpers' functions nest, so
 * the innermost region around a position is found by a binary search for the
 * last region starting before it, then by following `outer` links out of the
 * regions that end before it. (tree-sitter's ts_node_parent walks down from
 * the root: asking it for every reference made compiling quadratic.) */

typedef struct region_s {
  uint32_t from, to;
  int id;                   /* >= 0: a fluxion's index; < 0: -1 - helper */
  int outer;                /* the enclosing region, or -1 */
} region_t;

struct flxc_regions_s {
  region_t *r;
  size_t n;
};

static int region_order(const void *a, const void *b) {
  const region_t *x = a, *y = b;
  if (x->from != y->from)
    return x->from < y->from ? -1 : 1;
  return x->to > y->to ? -1 : x->to < y->to;   /* the larger one first */
}

static void regions_add(struct flxc_regions_s *rs, uint32_t from, uint32_t to, int id) {
  PUSH(rs->r, rs->n, ((region_t){from, to, id, -1}));
}

static void regions_seal(struct flxc_regions_s *rs) {
  if (rs->n)
    qsort(rs->r, rs->n, sizeof *rs->r, region_order);
  int *stack = malloc((rs->n + 1) * sizeof *stack);
  size_t depth = 0;
  for (size_t i = 0; i < rs->n; i++) {
    while (depth && rs->r[stack[depth - 1]].to <= rs->r[i].from)
      depth--;
    rs->r[i].outer = depth ? stack[depth - 1] : -1;
    stack[depth++] = (int)i;
  }
  free(stack);
}

/* The id of the innermost region strictly around the bytes [at, end) (a
 * function is not inside itself), or `none`. */
static int regions_find(const struct flxc_regions_s *rs, uint32_t at, uint32_t end,
                        int none) {
  size_t lo = 0, hi = rs->n;
  while (lo < hi) {   /* the last region starting at or before `at` */
    size_t mid = (lo + hi) / 2;
    if (rs->r[mid].from <= at)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (int i = (int)lo - 1; i >= 0; i = rs->r[i].outer)
    if (rs->r[i].from <= at && end <= rs->r[i].to &&
        !(rs->r[i].from == at && rs->r[i].to == end))
      return rs->r[i].id;
  return none;
}

static void regions_free(struct flxc_regions_s *rs) {
  if (rs) {
    free(rs->r);
    free(rs);
  }
}

/* The fluxions' regions: every callback's function and continuation. */
static void index_regions(flxc_pipeline_t *p) {
  regions_free(p->regions);
  p->regions = calloc(1, sizeof *p->regions);
  for (size_t i = 1; i < p->n; i++) {
    flxc_fluxion_t *f = p->fluxions[i];
    f->index = (int)i;
    if (f->to)
      regions_add(p->regions, f->from, f->to, (int)i);
    else
      regions_add(p->regions, ts_node_start_byte(f->fn), ts_node_end_byte(f->fn), (int)i);
    for (size_t k = 0; k < f->nreads; k++)   /* a section takes these reads */
      regions_add(p->regions, ts_node_start_byte(f->reads[k]), ts_node_end_byte(f->reads[k]),
                  (int)i);
  }
  regions_seal(p->regions);
}

flxc_fluxion_t *flxc_owner_of(const flxc_pipeline_t *p, TSNode n) {
  int i = regions_find(p->regions, ts_node_start_byte(n), ts_node_end_byte(n), 0);
  return p->fluxions[i];
}

/* anonymous_LINE, LINE in the file the code comes from. */
static char *anonymous_name(const flxc_unit_t *u, int line) {
  const char *file;
  int file_line;
  char buf[48];
  flxc_unit_position(u, line, &file, &file_line);
  snprintf(buf, sizeof buf, "anonymous_%d", file_line);
  return flxl_strndup(buf, strlen(buf));
}

/* A callback's name: its own, the variable it is assigned to, or
 * anonymous_LINE (stable across runs: it comes from the source). */
static char *fluxion_name(const pipeliner_t *pl, TSNode fn) {
  TSNode name = field(fn, "name");
  if (!ts_node_is_null(name) && !is(name, "computed_property_name"))
    return flxc_node_text(pl->u, name);
  TSNode parent = ts_node_parent(fn);
  if (is(parent, "variable_declarator") && is(field(parent, "name"), "identifier"))
    return flxc_node_text(pl->u, field(parent, "name"));
  if (is(parent, "pair") && is(field(parent, "key"), "property_identifier"))
    return flxc_node_text(pl->u, field(parent, "key"));   /* { root: (req, res) => ... } */
  return anonymous_name(pl->u, (int)ts_node_start_point(fn).row + 1);
}

static void unique_name(flxc_pipeline_t *p, flxc_fluxion_t *f) {
  for (int n = 2;; n++) {
    bool clash = false;
    for (size_t i = 0; i < p->n && !clash; i++)
      clash = p->fluxions[i] != f && strcmp(p->fluxions[i]->name, f->name) == 0;
    if (!clash)
      return;
    char buf[160];
    snprintf(buf, sizeof buf, "%s_%d", f->name, n);
    if (n > 2)   /* strip the previous suffix */
      snprintf(buf, sizeof buf, "%.*s_%d", (int)(strrchr(f->name, '_') - f->name), f->name, n);
    free(f->name);
    f->name = flxl_strndup(buf, strlen(buf));
  }
}

/* Whether n holds an await of its own (not inside a nested function). */
static bool has_await(TSNode n) {
  if (is(n, "await_expression"))
    return true;
  if (is_function(n))
    return false;
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    if (has_await(ts_node_named_child(n, i)))
      return true;
  return false;
}

/* `x = await e;`, `const x = await e;` or `await e;`: an await whose
 * continuation is simply the statements that follow. */
static bool await_statement(TSNode st) {
  TSNode e = st;
  if (is(st, "expression_statement"))
    e = ts_node_named_child(st, 0);
  else if ((is(st, "lexical_declaration") || is(st, "variable_declaration")) &&
           ts_node_named_child_count(st) == 1)
    e = field(ts_node_named_child(st, 0), "value");
  if (is(e, "assignment_expression"))
    e = field(e, "right");
  return is(e, "await_expression") && !has_await(ts_node_named_child(e, 0));
}

/* Splits an async callback at its top-level awaits (seed 000 §3.1: the code
 * after an await is a continuation, a post stream). Awaits inside loops or
 * branches stay where they are: the function keeps running where its state
 * lives, as under Node.js. */
static void split_awaits(pipeliner_t *pl, flxc_fluxion_t *f) {
  if (!is_async(f->fn) || !is(field(f->fn, "body"), "statement_block"))
    return;
  TSNode body = field(f->fn, "body");
  flxc_fluxion_t *parent = f;
  uint32_t k = ts_node_named_child_count(body);
  for (uint32_t i = 0; i + 1 < k; i++) {
    TSNode st = ts_node_named_child(body, i);
    if (!await_statement(st))
      continue;
    TSNode next = ts_node_named_child(body, i + 1);
    if (is(next, "comment") && i + 2 >= k)
      break;
    flxc_fluxion_t *c = calloc(1, sizeof *c);
    c->fn = f->fn;
    c->from = ts_node_start_byte(next);
    c->to = ts_node_end_byte(ts_node_named_child(body, k - 1));
    c->parent = parent;
    c->kind = FLXL_POST;
    c->group = -1;
    TSPoint pt = ts_node_start_point(next);
    c->line = (int)pt.row + 1;
    c->col = (int)pt.column + 1;
    c->name = anonymous_name(pl->u, c->line);
    PUSH(pl->out->fluxions, pl->out->n, c);
    unique_name(pl->out, c);
    parent = c;
  }
}

static bool inside(TSNode n, TSNode outer) {
  return ts_node_start_byte(n) >= ts_node_start_byte(outer) &&
         ts_node_end_byte(n) <= ts_node_end_byte(outer);
}

/* Drops the callbacks marked to stay plain functions, with their
 * continuations (marked first: they find their callback through by_fn).
 * Whether any went. */
static bool remove_dropped(flxc_pipeline_t *p) {
  for (size_t i = 1; i < p->n; i++)
    if (p->fluxions[i]->to && flxc_fluxion_of(p, p->fluxions[i]->fn)->dropped)
      p->fluxions[i]->dropped = true;
  size_t kept = 1;
  for (size_t i = 1; i < p->n; i++) {
    flxc_fluxion_t *f = p->fluxions[i];
    if (f->dropped) {
      free(f->name);
      free(f->sites);
      free(f);
    } else {
      p->fluxions[kept++] = f;
    }
  }
  if (kept == p->n)
    return false;
  p->n = kept;
  free(p->by_fn);
  p->by_fn = NULL;
  p->nby_fn = 0;
  index_fluxions(p);
  index_regions(p);
  return true;
}

/* A callback's function used otherwise than at its rupture points (called
 * directly: poll(); given to forEach): its code lives in its fluxion now, so
 * the use becomes a placeholder too, and calling it sends a message. */
static void direct_uses(pipeliner_t *pl, size_t callbacks) {
  flxc_pipeline_t *p = pl->out;
  for (size_t i = 0; i < pl->s->nrefs; i++) {
    const flxc_ref_t *r = pl->s->refs[i];
    const flxc_binding_t *b = r->binding;
    if (b == NULL || r->init || (r->access & FLXC_WRITE))
      continue;
    /* The bindings that name a function: its declaration, or a variable
     * declared with it (not its parameters, whose decl is the function too). */
    /* Only declarations: a variable holding a callback holds its
     * placeholder, so its other uses keep working (and keep its identity:
     * emitter.off(name, listener) finds the listener it was given). */
    TSNode fn = b->kind == FLXC_FUNCTION ? b->decl : (TSNode){0};
    flxc_fluxion_t *f = is_function(fn) ? flxc_fluxion_of(p, fn) : NULL;
    if (f == NULL || f->index >= (int)callbacks || f->to)
      continue;
    bool site = false;
    for (size_t s = 0; s < f->nsites && !site; s++)
      site = ts_node_eq(f->sites[s], r->node);
    if (site)
      continue;
    /* Only where no result is awaited: f(); as a statement, or f passed on. */
    TSNode up = ts_node_parent(r->node);
    bool statement = is(up, "call_expression") && ts_node_eq(field(up, "function"), r->node) &&
                     is(ts_node_parent(up), "expression_statement");
    if (!statement && !is(up, "arguments")) {
      flxc_warn(&p->warnings, &p->nwarnings, r->node,
                "%s is a callback whose result is used here: it stays a plain function, "
                "and its rupture points stay in place", r->name);
      f->dropped = true;
      continue;
    }
    PUSH(f->sites, f->nsites, r->node);
    flxc_warn(&p->warnings, &p->nwarnings, r->node,
              "%s is a callback used here too: this use sends it a message, so its code "
              "runs later, as a fluxion", r->name);
  }
  remove_dropped(p);
}

/* After all exist, nesting is known: the parent is where the first rupture
 * point outside the callback's own code is (a callback may also restart
 * itself: setTimeout(poll) inside poll). A cycle of callbacks restarting
 * each other is cut at main, which started the first. */
static void find_parents(flxc_pipeline_t *p) {
  size_t callbacks = 1;
  while (callbacks < p->n && p->fluxions[callbacks]->to == 0)
    callbacks++;
  for (size_t i = 1; i < callbacks; i++) {
    flxc_fluxion_t *f = p->fluxions[i];
    f->parent = NULL;
    for (size_t s = 0; s < f->nsites; s++) {   /* main's own, else the first */
      flxc_fluxion_t *o = flxc_owner_of(p, f->sites[s]);
      if (o != f && (f->parent == NULL || o == p->fluxions[0]))
        f->parent = o;
    }
    if (f->parent == NULL)
      f->parent = p->fluxions[0];
  }
  for (size_t i = 1; i < p->n; i++) {
    flxc_fluxion_t *up = p->fluxions[i]->parent;
    for (size_t steps = 0; up && up != p->fluxions[0] && steps <= p->n; steps++)
      up = up->parent;
    if (up != p->fluxions[0])
      p->fluxions[i]->parent = p->fluxions[0];
  }
}

/* Whether b, a variable of a chain (declared in a callback's code), changes
 * while f may still read it: assigned in another function than its own (n++
 * in a listener or in a callback that runs several times, body += chunk in
 * req.on('data')); assigned in its own after the rupture point that leads to
 * f (the callback reads the value of when it runs); or assigned at all and f
 * is on a start stream below its declaration (a listener runs after the
 * handler went on). */
static bool changes_under(const pipeliner_t *pl, const flxc_binding_t *b,
                          const flxc_fluxion_t *f, const flxc_fluxion_t *decl) {
  const flxc_fluxion_t *below = f;   /* decl's child on the way to f */
  bool crosses_start = false;
  for (; f && f != decl && f != pl->out->fluxions[0]; f = f->parent) {
    crosses_start = crosses_start || f->kind == FLXL_START;
    below = f;
  }
  uint32_t first_site = UINT32_MAX;
  for (size_t i = 0; f == decl && i < below->nsites; i++)
    if (ts_node_start_byte(below->sites[i]) < first_site)
      first_site = ts_node_start_byte(below->sites[i]);
  for (size_t i = 0; i < b->nrefs; i++) {
    const flxc_ref_t *w = b->refs[i];
    if (!(w->access & FLXC_WRITE) || w->member || w->init)
      continue;
    if (w->scope->fn != b->scope->fn || ts_node_start_byte(w->node) > first_site)
      return true;
  }
  return crosses_start && flxc_binding_changed(b, false);
}

/* Chain state: a variable of a request's chain that changes while callbacks
 * of that chain still use it must stay one variable per chain, as a closure's
 * is under node. Copied with each message, every run would see a stale copy
 * of its own (a count of callbacks done never reaches its total); made group
 * state, every request would share one (a body gathered from another
 * request's chunks). So a callback that uses such a variable declared outside
 * it stays a plain closure in its declaring callback's code, and runs where
 * that runs (with the state it touches: that callback joins its group).
 * Main's own variables are the program's, which groups hold. Whether any
 * callback was dropped (parents then change: called until none is). */
static bool keep_chain_state(pipeliner_t *pl) {
  flxc_pipeline_t *p = pl->out;
  for (size_t i = 1; i < p->n; i++) {
    flxc_fluxion_t *f = p->fluxions[i];
    if (f->to)
      continue;   /* a continuation goes with its callback */
    size_t k = flxc_scope_first_ref(pl->s, ts_node_start_byte(f->fn));
    for (; k < pl->s->nrefs; k++) {
      const flxc_ref_t *r = pl->s->by_start[k];
      if (ts_node_start_byte(r->node) >= ts_node_end_byte(f->fn))
        break;
      const flxc_binding_t *b = r->binding;
      if (b == NULL || b->scope->fn->kind == FLXC_SCOPE_PROGRAM || inside(b->node, f->fn))
        continue;
      const flxc_fluxion_t *decl = flxc_owner_of(p, b->node);
      if (decl == NULL || decl == p->fluxions[0] || !changes_under(pl, b, f, decl))
        continue;
      flxc_warn(&p->warnings, &p->nwarnings, r->node,
                "%s is each run's own in %s (line %d) and changes while callbacks use it: "
                "this callback stays a plain function in it, and runs where it runs",
                b->name, decl->name, decl->line);
      f->dropped = true;
      break;
    }
  }
  return remove_dropped(p);
}

static void make_fluxions(pipeliner_t *pl, const flxc_analysis_t *an) {
  flxc_pipeline_t *p = pl->out;
  flxc_fluxion_t *main_f = calloc(1, sizeof *main_f);
  main_f->name = flxl_strndup("main", 4);
  main_f->group = -1;
  main_f->line = main_f->col = 1;
  PUSH(p->fluxions, p->n, main_f);
  /* Ruptures come in source order, so a parent exists before its children. */
  for (size_t i = 0; i < an->n; i++) {
    const flxc_rupture_t *r = &an->ruptures[i];
    flxc_fluxion_t *f = flxc_fluxion_of(p, r->fn);
    if (f == NULL) {
      f = calloc(1, sizeof *f);
      f->fn = r->fn;
      f->name = fluxion_name(pl, r->fn);
      f->kind = r->kind;
      f->group = -1;
      f->route = r->route;
      TSPoint pt = ts_node_start_point(r->fn);
      f->line = (int)pt.row + 1;
      f->col = (int)pt.column + 1;
      PUSH(p->fluxions, p->n, f);
      unique_name(p, f);
    }
    PUSH(f->sites, f->nsites, r->arg);
    f->route = f->route && r->route;
  }
  size_t callbacks = p->n;
  index_fluxions(p);
  for (size_t i = 1; i < callbacks; i++)
    split_awaits(pl, p->fluxions[i]);
  index_regions(p);
  direct_uses(pl, callbacks);
  find_parents(p);
  while (keep_chain_state(pl))
    find_parents(p);
  /* Print order: depth first from main, siblings in the order of their
   * rupture points. */
  flxc_fluxion_t **order = malloc(p->n * sizeof *order);
  size_t n = 0;
  order[n++] = p->fluxions[0];
  for (size_t done = 0; done < n; done++) {
    size_t at = done + 1, before = n;
    for (size_t i = 1; i < p->n; i++)
      if (p->fluxions[i]->parent == order[done])
        order[n++] = p->fluxions[i];
    /* Move the children right after their parent (pre-order). */
    size_t kids = n - before;
    flxc_fluxion_t **tmp = malloc((kids ? kids : 1) * sizeof *tmp);
    memcpy(tmp, order + before, kids * sizeof *tmp);
    memmove(order + at + kids, order + at, (before - at) * sizeof *order);
    memcpy(order + at, tmp, kids * sizeof *tmp);
    free(tmp);
  }
  memcpy(p->fluxions, order, n * sizeof *order);
  free(order);
  index_regions(p);   /* again, with the final indices */
}

/* ---- who touches what -------------------------------------------------- */

static int state_index(const pipeliner_t *pl, const flxc_binding_t *b) {
  for (size_t i = 0; i < pl->nstate; i++)
    if (pl->state[i] == b)
      return (int)i;
  return -1;
}

static int helper_index(const pipeliner_t *pl, const flxc_binding_t *b) {
  for (size_t i = 0; i < pl->nhelpers; i++)
    if (pl->helpers[i] == b)
      return (int)i;
  return -1;
}

/* The function node a top-level binding names, if it is a plain helper. */
static TSNode helper_fn(const pipeliner_t *pl, const flxc_binding_t *b) {
  if (b->kind == FLXC_FUNCTION && is(b->decl, "function_declaration"))
    return flxc_fluxion_of(pl->out, b->decl) ? (TSNode){0} : b->decl;
  if (b->kind == FLXC_CLASS && is(b->decl, "class_declaration"))
    return b->decl;   /* a class is code too: replicated when it touches no state */
  if (is(b->decl, "variable_declarator")) {
    if (flxc_binding_changed(b, true))
      return (TSNode){0};
    TSNode v = field(b->decl, "value");
    if (is_function(v) && !flxc_fluxion_of(pl->out, v))
      return v;
  }
  return (TSNode){0};
}

static void classify_bindings(pipeliner_t *pl) {
  flxc_scope_t *program = pl->s->scopes[0];
  for (size_t i = 0; i < program->nbindings; i++) {
    flxc_binding_t *b = program->bindings[i];
    TSNode fn = helper_fn(pl, b);
    if (!ts_node_is_null(fn)) {
      pl->helper_fns = realloc(pl->helper_fns, (pl->nhelpers + 1) * sizeof *pl->helper_fns);
      pl->helper_fns[pl->nhelpers] = fn;
      PUSH(pl->helpers, pl->nhelpers, b);
    }
    else if (b->kind != FLXC_FUNCTION && b->kind != FLXC_CLASS)
      PUSH(pl->state, pl->nstate, b);
  }
}

/* Where a reference runs: a fluxion (>= 0, 0 being main), or a top-level
 * helper (-1 - index): the innermost of their regions around it. */
static int runs_in(const pipeliner_t *pl, TSNode n) {
  return regions_find(pl->where, ts_node_start_byte(n), ts_node_end_byte(n), 0);
}

/* The next reference to a top-level binding that starts before byte `to`,
 * from index *i of by_start (flxc_scope_first_ref gives the first); NULL at the end. */
static const flxc_ref_t *next_top_ref(const pipeliner_t *pl, size_t *i, uint32_t to) {
  for (; *i < pl->s->nrefs; (*i)++) {
    const flxc_ref_t *r = pl->s->by_start[*i];
    if (ts_node_start_byte(r->node) >= to)
      break;
    if (r->binding != NULL && r->binding->scope == pl->s->scopes[0]) {
      (*i)++;
      return r;
    }
  }
  return NULL;
}

/* Callees that do not change what they are given. */
bool flxc_harmless_callee(const char *callee) {
  static const char *const prefixes[] = {"res.", "console.", "JSON.", "Math.", "Object.keys",
                                         "Object.values", "Object.entries", "Array.isArray",
                                         "String", "Number", "Boolean", "parseInt",
                                         "parseFloat", "encodeURIComponent",
                                         "decodeURIComponent", "Buffer.from", "clearTimeout",
                                         "clearInterval", "clearImmediate", NULL};
  for (int i = 0; prefixes[i]; i++)
    if (strncmp(callee, prefixes[i], strlen(prefixes[i])) == 0)
      return true;
  return false;
}

/* list.slice(n): a method known not to change anything given to it. */
static bool pure_call(const pipeliner_t *pl, TSNode member) {
  char *m = flxc_node_text(pl->u, field(member, "property"));
  bool pure = flxc_pure_method(m);
  free(m);
  return pure;
}

/* The require('x') call a top-level variable is taken from (`fs =
 * require('fs')`, `fsp = require('fs').promises`), or a null node. */
static TSNode require_of(const pipeliner_t *pl, const flxc_binding_t *b) {
  if (!is(b->decl, "variable_declarator"))
    return (TSNode){0};
  TSNode v = field(b->decl, "value");
  while (is(v, "member_expression"))
    v = field(v, "object");
  if (!is(v, "call_expression"))
    return (TSNode){0};
  char *callee = flxc_node_text(pl->u, field(v, "function"));
  bool r = strcmp(callee, "require") == 0;
  free(callee);
  return r ? v : (TSNode){0};
}

/* The module a binding was taken from: 'fs' for `fs = require('fs')` or
 * `import fs from 'fs'`; NULL if none. The caller frees it. */
static char *module_source(const pipeliner_t *pl, const flxc_binding_t *b) {
  TSNode src = {0}, req = require_of(pl, b);
  if (b->kind == FLXC_IMPORT)
    src = field(b->decl, "source");
  else if (!ts_node_is_null(req))
    src = ts_node_named_child(field(req, "arguments"), 0);
  if (!is(src, "string"))
    return NULL;
  char *t = flxc_node_text(pl->u, src);
  size_t n = strlen(t);
  if (n >= 2) {   /* unquoted */
    memmove(t, t + 1, n - 2);
    t[n - 2] = '\0';
  }
  return t;
}

/* A function of Node's own modules that only reads its arguments (all of
 * fs, path, url, util, crypto... but those that fill a buffer given to
 * them, or change a constructor). */
static bool core_reader(const pipeliner_t *pl, TSNode callee) {
  static const char *const modules[] = {"fs", "fs/promises", "path", "url", "querystring",
                                        "util", "crypto", "os", "zlib", "dns", NULL};
  static const char *const writers[] = {"read", "readSync", "readv", "readvSync",
                                        "randomFill", "randomFillSync", "getRandomValues",
                                        "inherits", NULL};
  TSNode root = callee, last = callee;
  while (is(root, "member_expression")) {
    last = field(root, "property");
    root = field(root, "object");
  }
  flxc_ref_t *ref = is(root, "identifier") ? flxc_scope_ref_at(pl->s, root) : NULL;
  char *src = ref && ref->binding ? module_source(pl, ref->binding) : NULL;
  if (src == NULL)
    return false;
  const char *name = strncmp(src, "node:", 5) == 0 ? src + 5 : src;
  bool core = false;
  for (int i = 0; modules[i] && !core; i++)
    core = strcmp(name, modules[i]) == 0;
  free(src);
  char *fn = core ? flxc_node_text(pl->u, last) : NULL;
  for (int i = 0; fn && writers[i] && core; i++)
    core = strcmp(fn, writers[i]) != 0;
  free(fn);
  return core;
}

/* `const NAME = 'text'` (a number, a template...): nothing can change it. */
static bool constant_primitive(const pipeliner_t *pl, const flxc_binding_t *b) {
  if (!is(b->decl, "variable_declarator"))
    return false;
  TSNode kw = ts_node_child(ts_node_parent(b->decl), 0);
  char *k = flxc_node_text(pl->u, kw);
  bool is_const = strcmp(k, "const") == 0;
  free(k);
  TSNode v = field(b->decl, "value");
  return is_const && (is(v, "string") || is(v, "number") || is(v, "template_string") ||
                      is(v, "true") || is(v, "false") || is(v, "null"));
}

/* A variable given to a call: read, unless the callee may change it. */
static unsigned argument_access(pipeliner_t *pl, const flxc_ref_t *r) {
  TSNode args = ts_node_parent(r->node), call = ts_node_parent(args);
  TSNode callee = field(call, "function");
  char *text = flxc_node_text(pl->u, callee);
  unsigned access = FLXC_READ;
  flxc_ref_t *cref = is(callee, "identifier") ? flxc_scope_ref_at(pl->s, callee) : NULL;
  flxc_binding_t *cb = cref ? cref->binding : NULL;
  int h = cb ? helper_index(pl, cb) : -1;
  if (h >= 0) {
    /* A helper changes its argument if it writes through that parameter. */
    uint32_t k = ts_node_named_child_count(args), pos = 0;
    for (uint32_t i = 0; i < k; i++)
      if (ts_node_eq(ts_node_named_child(args, i), r->node))
        pos = i;
    TSNode params = field(helper_fn(pl, pl->helpers[h]), "parameters");
    TSNode param = ts_node_named_child(params, pos);
    flxc_scope_t *fs = flxc_scope_of(pl->s, helper_fn(pl, pl->helpers[h]));
    if (fs && is(param, "identifier")) {
      char *pname = flxc_node_text(pl->u, param);
      flxc_binding_t *pb = flxc_scope_lookup(fs, pname);
      free(pname);
      for (size_t i = 0; pb && i < pb->nrefs; i++)
        if (pb->refs[i]->access & FLXC_WRITE)
          access = FLXC_READWRITE;
    }
  } else if (!flxc_harmless_callee(text) && !(cb && cb->kind == FLXC_CLASS) &&
             !(is(callee, "member_expression") && pure_call(pl, callee)) &&
             !core_reader(pl, callee) && !constant_primitive(pl, r->binding)) {
    access = FLXC_READWRITE;
    flxc_warn(&pl->out->warnings, &pl->out->nwarnings, r->node,
              "%s is given to %.60s, whose effect is unknown: assumed to change it",
              r->name, text);
  }
  free(text);
  return access;
}

/* The number N of the application's own file that a binding stands for
 * (module$N itself, or a value taken from module$N.exports: see link.c),
 * or -1. */
int flxc_linked_module(const flxc_unit_t *u, const flxc_binding_t *b) {
  if (strncmp(b->name, "module$", 7) == 0)
    return atoi(b->name + 7);
  if (!is(b->decl, "variable_declarator"))
    return -1;
  TSNode v = field(b->decl, "value");
  while (is(v, "member_expression"))
    v = field(v, "object");
  if (!is(v, "identifier"))
    return -1;
  char *t = flxc_node_text(u, v);
  int n = strncmp(t, "module$", 7) == 0 ? atoi(t + 7) : -1;
  free(t);
  return n;
}

/* A module's namespace: require('x') or an import. Calling its functions
 * (fs.readFile) does not change it. */
static bool is_module(const pipeliner_t *pl, const flxc_binding_t *b) {
  return b->kind == FLXC_IMPORT || flxc_linked_module(pl->u, b) >= 0 ||
         !ts_node_is_null(require_of(pl, b));
}

/* Who uses each helper: a list of `where` values (a fluxion >= 0, or
 * -1 - g for helper g), each once. */
typedef struct users_s {
  int *ids;
  size_t n;
} users_t;

static void add_user(users_t *u, int where) {
  for (size_t i = 0; i < u->n; i++)
    if (u->ids[i] == where)
      return;
  PUSH(u->ids, u->n, where);
}

/* A variable a fluxion keeps in its context starts from its declared value,
 * evaluated where the fluxion's scope is made: `db = new Datastore(file)`
 * reads Datastore and file there. So whoever touches the variable reads what
 * its initial value reads, and uses the helpers it calls (to a fixpoint:
 * those values may name other variables). */
static void initial_values_read(pipeliner_t *pl) {
  size_t nf = pl->out->n, ns = pl->nstate;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t si = 0; si < ns; si++) {
      const flxc_binding_t *b = pl->state[si];
      TSNode v = is(b->decl, "variable_declarator") ? field(b->decl, "value") : (TSNode){0};
      if (ts_node_is_null(v) || b->scope != pl->s->scopes[0] || pl->from_main[si])
        continue;   /* (main's value: its initial value is not made there) */
      uint32_t to = ts_node_end_byte(v);
      for (size_t f = 1; f < nf; f++) {
        if (!pl->touch[f * ns + si])
          continue;
        size_t i = flxc_scope_first_ref(pl->s, ts_node_start_byte(v));
        for (const flxc_ref_t *r; (r = next_top_ref(pl, &i, to)) != NULL;) {
          if (runs_in(pl, r->node) != 0)
            continue;
          int sj = state_index(pl, r->binding), h = helper_index(pl, r->binding);
          unsigned char *t = sj >= 0 ? &pl->touch[f * ns + (size_t)sj] : NULL;
          if (t && !(*t & FLXC_READ)) {
            *t |= FLXC_READ;
            changed = true;
          }
          for (size_t sk = 0; h >= 0 && sk < ns; sk++) {
            unsigned char add = pl->helper_touch[(size_t)h * ns + sk];
            if ((pl->touch[f * ns + sk] | add) != pl->touch[f * ns + sk]) {
              pl->touch[f * ns + sk] |= add;
              changed = true;
            }
          }
          if (h >= 0)
            add_user(&pl->users[h], (int)f);
        }
      }
    }
  }
}

/* Whether b holds an object made by a class of the program or of a package
 * (`db = new Datastore(...)`): what its methods change is unknown, so even
 * `db.find(...)`, pure on an array, may change it. Built-in classes (Map,
 * Date, URL: no binding of the program) are known. */
static bool opaque_object(const pipeliner_t *pl, const flxc_binding_t *b) {
  TSNode v = is(b->decl, "variable_declarator") ? field(b->decl, "value") : (TSNode){0};
  if (!is(v, "new_expression"))
    return false;
  TSNode ctor = field(v, "constructor");
  while (is(ctor, "member_expression"))
    ctor = field(ctor, "object");
  if (!is(ctor, "identifier"))
    return true;
  const flxc_ref_t *r = flxc_scope_ref_at(pl->s, ctor);
  return r && r->binding != NULL;
}

/* r is the object of a method call (r.m(...)). */
static bool method_receiver(const flxc_ref_t *r) {
  TSNode m = ts_node_parent(r->node);
  if (!is(m, "member_expression") || !ts_node_eq(field(m, "object"), r->node))
    return false;
  TSNode call = ts_node_parent(m);
  return is(call, "call_expression") && ts_node_eq(field(call, "function"), m);
}

/* How code running at `where` (runs_in: a fluxion, or -1 - a helper) uses
 * state si. */
static unsigned char *touch_cell(pipeliner_t *pl, int where, size_t si) {
  return where >= 0 ? &pl->touch[(size_t)where * pl->nstate + si]
                    : &pl->helper_touch[(size_t)(-1 - where) * pl->nstate + si];
}

static void collect_touches(pipeliner_t *pl) {
  size_t nf = pl->out->n, ns = pl->nstate;
  pl->touch = calloc(nf * (ns ? ns : 1), 1);
  pl->helper_touch = calloc((pl->nhelpers ? pl->nhelpers : 1) * (ns ? ns : 1), 1);
  users_t *users = pl->users = calloc(pl->nhelpers ? pl->nhelpers : 1, sizeof *users);
  for (size_t i = 0; i < pl->s->nrefs; i++) {
    const flxc_ref_t *r = pl->s->refs[i];
    if (r->binding == NULL || r->init)
      continue;
    int where = runs_in(pl, r->node);
    int si = state_index(pl, r->binding), hi = helper_index(pl, r->binding);
    if (si >= 0) {
      unsigned access = r->access;
      if (r->member && r->call && is_module(pl, r->binding))
        access = FLXC_READ;
      else if (!(access & FLXC_WRITE) && opaque_object(pl, r->binding) && method_receiver(r))
        access |= FLXC_WRITE;
      *touch_cell(pl, where, (size_t)si) |= (unsigned char)access;
    } else if (hi >= 0) {
      add_user(&users[hi], where);
    }
    /* Code reached through another file's exports (todos.stats()) is not
     * followed name by name: the user of file N may use any of its helpers. */
    int lm = flxc_linked_module(pl->u, r->binding);
    if (lm >= 0 && where != 0) {
      char suffix[24];
      snprintf(suffix, sizeof suffix, "$%d", lm);
      for (size_t h = 0; h < pl->nhelpers; h++) {
        size_t nl = strlen(pl->helpers[h]->name), sl = strlen(suffix);
        if (nl > sl && strcmp(pl->helpers[h]->name + nl - sl, suffix) == 0)
          add_user(&users[h], where);
      }
    }
  }
  /* Writes through another name (u = users.find(...); u.n++) write it. */
  for (size_t i = 0; i < pl->nstate; i++)
    for (size_t k = 0; k < pl->state[i]->nalias_writes; k++)
      *touch_cell(pl, runs_in(pl, pl->state[i]->alias_writes[k]), i) |= FLXC_READWRITE;
  /* A variable given to a call may be changed by the callee: asked only
   * where it would change the outcome (the fluxion does not write it yet). */
  for (size_t i = 0; i < pl->s->nrefs; i++) {
    const flxc_ref_t *r = pl->s->refs[i];
    int si = r->binding ? state_index(pl, r->binding) : -1;
    if (si < 0 || !r->argument)
      continue;
    int where = runs_in(pl, r->node);
    unsigned char *t = where != 0 ? touch_cell(pl, where, (size_t)si) : NULL;
    if (t && !(*t & FLXC_WRITE))
      *t |= (unsigned char)argument_access(pl, r);
  }
  /* A helper's touches flow to whoever uses it, helpers first, to a fixpoint. */
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t h = 0; h < pl->nhelpers; h++)
      for (size_t k = 0; k < users[h].n; k++) {
        if (users[h].ids[k] >= 0)
          continue;
        size_t g = (size_t)(-1 - users[h].ids[k]);
        for (size_t si = 0; si < ns; si++) {
          unsigned char add = pl->helper_touch[h * ns + si];
          if ((pl->helper_touch[g * ns + si] | add) != pl->helper_touch[g * ns + si]) {
            pl->helper_touch[g * ns + si] |= add;
            changed = true;
          }
        }
      }
  }
  for (size_t h = 0; h < pl->nhelpers; h++)
    for (size_t k = 0; k < users[h].n; k++)
      if (users[h].ids[k] >= 0)   /* a fluxion, main included */
        for (size_t si = 0; si < ns; si++)
          pl->touch[(size_t)users[h].ids[k] * ns + si] |= pl->helper_touch[h * ns + si];
  initial_values_read(pl);
}

/* The group of a fluxion that calls helper h, directly or through other
 * helpers, or -1 (main alone calls it). Its touches made every such caller
 * share its state, so they are all in one group. */
static int group_calling(const pipeliner_t *pl, size_t h, unsigned char *seen) {
  if (seen[h])
    return -1;
  seen[h] = 1;
  for (size_t k = 0; k < pl->users[h].n; k++) {
    int u = pl->users[h].ids[k];
    int g = u > 0 ? pl->out->fluxions[u]->group : u < 0 ? group_calling(pl, (size_t)(-1 - u), seen) : -1;
    if (g >= 0)
      return g;
  }
  return -1;
}

/* Helpers that touch state no worker can copy: declared in their group. */
static void place_helpers(pipeliner_t *pl) {
  flxc_pipeline_t *out = pl->out;
  unsigned char *seen = malloc(pl->nhelpers ? pl->nhelpers : 1);
  for (size_t h = 0; h < pl->nhelpers; h++) {
    bool pure = true;
    for (size_t si = 0; si < pl->nstate && pure; si++) {
      if (!pl->helper_touch[h * pl->nstate + si])
        continue;
      bool replicated = false;
      for (size_t k = 0; k < out->nreplicated; k++)
        replicated = replicated || out->replicated[k] == pl->state[si];
      pure = replicated;
    }
    if (pure) {   /* functions that touch no mutable state: on every worker */
      PUSH(out->replicated, out->nreplicated, pl->helpers[h]);
      continue;
    }
    memset(seen, 0, pl->nhelpers);
    int g = group_calling(pl, h, seen);
    if (g < 0)
      continue;
    PUSH(out->group_code, out->ngroup_code,
         ((flxc_group_code_t){pl->helpers[h], pl->helper_fns[h], g}));
  }
  free(seen);
}



/* ---- main's statements about a group's state ----------------------------- */

/* Whether n lies in a statement of main that moved into a group. */
static bool moved_from_main(const flxc_pipeline_t *p, TSNode n) {
  uint32_t at = ts_node_start_byte(n);
  for (size_t i = 0; i < p->ngroup_code; i++)
    if (p->group_code[i].helper == NULL && at >= ts_node_start_byte(p->group_code[i].fn) &&
        at < ts_node_end_byte(p->group_code[i].fn))
      return true;
  return false;
}

/* The group a top-level binding lives in: a group's context variable or
 * helper; -2 for what every worker has (replicated, modules, globals); -1
 * for what only main has. */
static int home_of(const pipeliner_t *pl, const flxc_binding_t *b) {
  const flxc_pipeline_t *p = pl->out;
  for (size_t k = 0; k < p->nreplicated; k++)
    if (p->replicated[k] == b)
      return -2;
  for (size_t k = 0; k < p->ngroup_code; k++)
    if (p->group_code[k].helper == b)
      return p->group_code[k].group;
  for (size_t f = 1; f < p->n; f++)
    for (size_t c = 0; c < p->fluxions[f]->nctx; c++)
      if (p->fluxions[f]->ctx[c] == b)
        return p->fluxions[f]->group;
  return -1;
}

/* Where a top-level statement of main is to run: in the group whose state
 * it touches (and otherwise only what every worker has); on every worker
 * (-2) if it changes replicated variables and touches nothing else of main's;
 * or in main (-1). */
static int statement_group(const pipeliner_t *pl, TSNode st) {
  const flxc_pipeline_t *p = pl->out;
  uint32_t from = ts_node_start_byte(st), to = ts_node_end_byte(st);
  for (size_t f = 1; f < p->n; f++) {   /* a rupture point in it: main's */
    uint32_t at = p->fluxions[f]->to ? p->fluxions[f]->from : ts_node_start_byte(p->fluxions[f]->fn);
    if (at >= from && at < to)
      return -1;
  }
  int group = -1;
  bool changes_replica = false, calls_module = false;
  size_t i = flxc_scope_first_ref(pl->s, from);
  for (const flxc_ref_t *r; (r = next_top_ref(pl, &i, to)) != NULL;) {
    int g = home_of(pl, r->binding), si = state_index(pl, r->binding);
    if (si >= 0 && pl->from_main[si])
      return -1;   /* main's object; the fluxions have a copy */
    if (g == -1 || (g >= 0 && group >= 0 && g != group))
      return -1;
    if (g >= 0)
      group = g;
    /* A module's call (fs.unlinkSync) is an effect to make once: main's. */
    if (r->member && r->call && is_module(pl, r->binding))
      calls_module = true;
    else if (g == -2 && (r->access & FLXC_WRITE) && state_index(pl, r->binding) >= 0)
      changes_replica = true;
  }
  return group >= 0 ? group : changes_replica && !calls_module ? -2 : -1;
}

/* A top-level statement of main that only works on one group's state
 * (`db.ensureIndex(...)`, `load()` of a group's helper) runs in that group's
 * scope, in source order with its declarations: main's copy of the state
 * would be another object, which the group never sees. One that changes
 * replicated variables only (`config.port = 80`, `seeds.push(s)`) runs on
 * every worker with their declarations (group -2). */
static void place_main_statements(pipeliner_t *pl) {
  TSNode root = ts_tree_root_node(pl->u->tree);
  uint32_t k = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < k; i++) {
    TSNode st = ts_node_named_child(root, i);
    if (is(st, "lexical_declaration") || is(st, "variable_declaration") ||
        is(st, "function_declaration") || is(st, "class_declaration") ||
        is(st, "import_statement") || is(st, "export_statement") || is(st, "comment"))
      continue;
    int g = statement_group(pl, st);
    if (g != -1)
      PUSH(pl->out->group_code, pl->out->ngroup_code, ((flxc_group_code_t){NULL, st, g}));
  }
}

/* Whether main still uses b after its statements about groups moved: a
 * reference of its own, or one in a helper that main calls. */
static bool main_uses(const pipeliner_t *pl, const flxc_binding_t *b) {
  for (size_t i = 0; i < b->nrefs; i++) {
    const flxc_ref_t *r = b->refs[i];
    int where = runs_in(pl, r->node);
    if (r->init || where > 0 || moved_from_main(pl->out, r->node))
      continue;
    if (where == 0)
      return true;
    const flxc_binding_t *h = pl->helpers[-1 - where];
    for (size_t j = 0; j < h->nrefs; j++)
      if (!h->refs[j]->init && runs_in(pl, h->refs[j]->node) <= 0 &&
          !moved_from_main(pl->out, h->refs[j]->node))
        return true;
  }
  return false;
}

/* A group variable that main still uses is declared in both: where its
 * initial value is an object of the program's or a package's class, which a
 * copy would not keep, each makes its own: say so. */
static void warn_made_twice(pipeliner_t *pl, const flxc_binding_t *b) {
  TSNode v = is(b->decl, "variable_declarator") ? field(b->decl, "value") : (TSNode){0};
  if (ts_node_is_null(v) || !opaque_object(pl, b))
    return;
  flxc_warn(&pl->out->warnings, &pl->out->nwarnings, b->node,
            "%s is used by main and by group %s: each makes its own from the initial "
            "value, so it is made twice (use %s only in callbacks, or only in main)",
            b->name, pl->out->groups[home_of(pl, b)], b->name);
}

/* A group's variable that main no longer uses is declared only in the group:
 * its initial value (`new Datastore(file)`) is made once, where it lives. */
static void drop_main_declarations(pipeliner_t *pl) {
  flxc_pipeline_t *p = pl->out;
  for (size_t si = 0; si < pl->nstate; si++) {
    flxc_binding_t *b = pl->state[si];
    if (home_of(pl, b) < 0 || b->scope != pl->s->scopes[0])
      continue;
    if (pl->from_main[si])
      PUSH(p->from_main, p->nfrom_main, b);
    else if (main_uses(pl, b))
      warn_made_twice(pl, b);
    else
      PUSH(p->group_only, p->ngroup_only, b);
  }
}

/* A fluxion's context starts from the variable's declared value: what main
 * still changes in it after the declaration is not seen there. Said once,
 * where main first changes it (or at the declaration, if through a helper). */
static void warn_main_writes(pipeliner_t *pl) {
  for (size_t si = 0; si < pl->nstate; si++) {
    const flxc_binding_t *b = pl->state[si];
    int g = home_of(pl, b);
    /* (module$N, the linker's, is filled by main as the program's files
     * load: its own limit, docs/compiler.md.) */
    if (g == -1 || !(pl->touch[si] & FLXC_WRITE) || strncmp(b->name, "module$", 7) == 0 ||
        pl->from_main[si])   /* its value is main's when main ends */
      continue;
    TSNode at = {0};   /* main's first change of its own */
    for (size_t i = 0; i < b->nrefs; i++) {
      const flxc_ref_t *r = b->refs[i];
      if (!r->init && (r->access & FLXC_WRITE) && runs_in(pl, r->node) == 0 &&
          !moved_from_main(pl->out, r->node) &&
          (ts_node_is_null(at) || ts_node_start_byte(r->node) < ts_node_start_byte(at)))
        at = r->node;
    }
    for (size_t h = 0; h < pl->nhelpers && ts_node_is_null(at); h++) {
      if (!(pl->helper_touch[h * pl->nstate + si] & FLXC_WRITE))
        continue;
      for (size_t j = 0; j < pl->helpers[h]->nrefs && ts_node_is_null(at); j++) {
        const flxc_ref_t *r = pl->helpers[h]->refs[j];
        if (!r->init && runs_in(pl, r->node) == 0 && !moved_from_main(pl->out, r->node))
          at = b->node;   /* main changes it through a helper: said at its declaration */
      }
    }
    if (ts_node_is_null(at))
      continue;
    const char *user = "its group";
    for (size_t f = 1; f < pl->out->n; f++)
      if (g >= 0 ? pl->out->fluxions[f]->group == g : pl->touch[f * pl->nstate + si] != 0) {
        user = pl->out->fluxions[f]->name;
        break;
      }
    flxc_warn(&pl->out->warnings, &pl->out->nwarnings, at,
              "%s is changed by main after its declaration, and %s starts from its declared "
              "value: this change is not seen there", b->name, user);
  }
}

/* ---- groups (union-find) ----------------------------------------------- */

static int find(pipeliner_t *pl, int f) {
  while (pl->uf[f] != f)
    f = pl->uf[f] = pl->uf[pl->uf[f]];
  return f;
}

static void unite(pipeliner_t *pl, int a, int b) {
  a = find(pl, a);
  b = find(pl, b);
  if (a != b)
    pl->uf[b > a ? b : a] = b > a ? a : b;   /* the earlier fluxion leads */
}

static void add_ctx(flxc_fluxion_t *f, flxc_binding_t *b) {
  for (size_t i = 0; i < f->nctx; i++)
    if (f->ctx[i] == b)
      return;
  PUSH(f->ctx, f->nctx, b);
}

static void add_msg(flxc_fluxion_t *f, flxc_binding_t *b) {
  for (size_t i = 0; i < f->nmsg; i++)
    if (f->msg[i] == b)
      return;
  PUSH(f->msg, f->nmsg, b);
}

/* Whether bytes [from, to) hand a callback to something (a placeholder
 * stands there): `setInterval(tick, 50)` is an effect, made once. */
static bool registers_callback(const pipeliner_t *pl, uint32_t from, uint32_t to) {
  for (size_t f = 1; f < pl->out->n; f++) {
    const flxc_fluxion_t *fx = pl->out->fluxions[f];
    for (size_t k = 0; k < fx->nsites; k++)
      if (ts_node_start_byte(fx->sites[k]) >= from && ts_node_end_byte(fx->sites[k]) <= to)
        return true;
  }
  return false;
}

/* Main's calls on each state variable that hand a callback over
 * (`app.get('/', handler)`, `router.use(mw)`, `emitter.on('x', cb)`): their
 * argument lists, in pl->configured. */
static void find_configured(pipeliner_t *pl) {
  pl->configured = calloc(pl->nstate ? pl->nstate : 1, sizeof *pl->configured);
  for (size_t i = 0; i < pl->s->nrefs; i++) {
    const flxc_ref_t *r = pl->s->refs[i];
    int si = r->binding ? state_index(pl, r->binding) : -1;
    if (si < 0 || !method_receiver(r) || runs_in(pl, r->node) != 0)
      continue;
    TSNode args = field(ts_node_parent(ts_node_parent(r->node)), "arguments");
    uint32_t from = ts_node_start_byte(args), to = ts_node_end_byte(args);
    if (ts_node_is_null(args) || !registers_callback(pl, from, to))
      continue;
    PUSH(pl->configured[si].r, pl->configured[si].n, ((range_t){from, to}));
  }
}

/* A top-level variable whose initial value hands a callback over (`server =
 * app.listen(port, cb)`, `t = setInterval(tick, 50)`), or that main
 * configures with callbacks (an Express app and its routes): the value is
 * made once, by main, where the objects it works on are; the fluxions that
 * read it get main's value, once main has run (a copy: a server or a timer
 * still reaches the original, an app is the same app, routes and all).
 * Making it again where they run would repeat the effect, or make an app
 * without routes. */
static void find_from_main(pipeliner_t *pl) {
  find_configured(pl);
  pl->from_main = calloc(pl->nstate ? pl->nstate : 1, sizeof *pl->from_main);
  for (size_t si = 0; si < pl->nstate; si++) {
    const flxc_binding_t *b = pl->state[si];
    TSNode v = is(b->decl, "variable_declarator") ? field(b->decl, "value") : (TSNode){0};
    pl->from_main[si] = !ts_node_is_null(v) && b->scope == pl->s->scopes[0] &&
                        (pl->configured[si].n > 0 ||
                         registers_callback(pl, ts_node_start_byte(v), ts_node_end_byte(v)));
  }
}

/* Whether fluxion f, or one upstream of it, was handed over in one of the
 * ranges (a callback registered on the variable, or a callback of one). */
static bool registered_in(const flxc_fluxion_t *f, const ranges_t *c) {
  for (; f && f->index > 0; f = f->parent)
    for (size_t k = 0; k < f->nsites; k++)
      for (size_t j = 0; j < c->n; j++)
        if (ts_node_start_byte(f->sites[k]) >= c->r[j].from &&
            ts_node_end_byte(f->sites[k]) <= c->r[j].to)
          return true;
  return false;
}

/* If r (a reference to state) hands an object of the state over to an
 * object the fluxion was given (`req.session = sessions[id]`, or
 * `sessions.get(id)`: a part of the state, or the state itself if made as
 * an object), the reference to that parameter; else NULL. */
static const flxc_ref_t *stored_in_argument(const pipeliner_t *pl, const flxc_ref_t *r) {
  TSNode n = r->node, p = ts_node_parent(n);
  bool part = false;
  for (;;) {   /* sessions[id], users.byName, sessions.get(id) */
    bool member = (is(p, "member_expression") || is(p, "subscript_expression")) &&
                  ts_node_eq(field(p, "object"), n);
    bool method = is(p, "call_expression") && is(n, "member_expression") &&
                  ts_node_eq(field(p, "function"), n);
    if (!member && !method)
      break;
    n = p;
    p = ts_node_parent(p);
    part = true;
  }
  if (!part) {   /* the variable itself: only an object made as one aliases */
    TSNode v = is(r->binding->decl, "variable_declarator") ? field(r->binding->decl, "value")
                                                           : (TSNode){0};
    if (ts_node_is_null(v) || !(is(v, "object") || is(v, "array") || is(v, "new_expression")))
      return NULL;
  }
  if (!is(p, "assignment_expression") || !ts_node_eq(field(p, "right"), n))
    return NULL;
  TSNode target = field(p, "left");
  if (!is(target, "member_expression") && !is(target, "subscript_expression"))
    return NULL;
  while (is(target, "member_expression") || is(target, "subscript_expression"))
    target = field(target, "object");
  const flxc_ref_t *holder = is(target, "identifier") ? flxc_scope_ref_at(pl->s, target) : NULL;
  return holder && holder->binding && holder->binding->kind == FLXC_PARAM ? holder : NULL;
}

/* Every callback registered in c (and those they chain to) touches state si:
 * how many did not yet. */
static size_t touch_registered(pipeliner_t *pl, const ranges_t *c, size_t si) {
  size_t ns = pl->nstate, joined = 0;
  for (size_t f = 1; f < pl->out->n; f++)
    if (!pl->touch[f * ns + si] && registered_in(pl->out->fluxions[f], c)) {
      pl->touch[f * ns + si] |= FLXC_READ;
      pl->out->fluxions[f]->unnamed = true;
      joined++;
    }
  return joined;
}

/* State put on an argument (a session object on req, by a middleware in the
 * state's group): every callback registered with the fluxion that did it,
 * on the same variable of main's (the app), may be given that argument next
 * and reach the state through it, so they touch the state too and join its
 * group. There each gets the very object (a message to a group on its own
 * worker is passed by reference, and Express's next goes on routing where it
 * is called). */
static void join_escaped(pipeliner_t *pl) {
  for (size_t i = 0; i < pl->s->nrefs; i++) {
    const flxc_ref_t *r = pl->s->refs[i];
    int si = r->binding && flxc_binding_changed(r->binding, true)   /* else replicated */
                 ? state_index(pl, r->binding) : -1;
    int where = si >= 0 ? runs_in(pl, r->node) : 0;
    const flxc_ref_t *holder = where > 0 ? stored_in_argument(pl, r) : NULL;
    if (holder == NULL)
      continue;
    const flxc_fluxion_t *f = pl->out->fluxions[where];
    size_t joined = 0;
    bool registered = false;   /* on a variable main configures (app.use(f)) */
    for (size_t ci = 0; ci < pl->nstate; ci++)
      if (pl->configured[ci].n && registered_in(f, &pl->configured[ci])) {
        registered = true;
        joined += touch_registered(pl, &pl->configured[ci], (size_t)si);
      }
    const char *name = r->binding->name;
    if (joined)
      flxc_warn(&pl->out->warnings, &pl->out->nwarnings, r->node,
                "%s is put on %s by %s: the other callbacks registered with it may be given "
                "%s next and reach %s through it, so they run in its group too (%zu more), "
                "one at a time", name, holder->name, f->name, holder->name, name, joined);
    else if (!registered)   /* else they are in its group already */
      flxc_warn(&pl->out->warnings, &pl->out->nwarnings, r->node,
                "%s is put on %s by %s: a callback given %s later reaches %s through it, "
                "with a copy if it runs on another worker (name %s in each callback instead)",
                name, holder->name, f->name, holder->name, name, name);
  }
}

/* A variable main configured with callbacks that a fluxion changes (a
 * handler writing app.locals): every callback registered on it, and the
 * callbacks those chain to, can see it without naming it (req.app,
 * res.render reads app.locals), so they touch it too and run in its group. */
static void join_configured(pipeliner_t *pl) {
  size_t nf = pl->out->n, ns = pl->nstate;
  for (size_t si = 0; si < ns; si++) {
    int writer = -1;
    for (size_t f = 1; f < nf && writer < 0; f++)
      if (pl->touch[f * ns + si] & FLXC_WRITE)
        writer = (int)f;
    size_t joined = pl->configured[si].n && writer >= 0
                        ? touch_registered(pl, &pl->configured[si], si) : 0;
    if (joined)
      flxc_warn(&pl->out->warnings, &pl->out->nwarnings, pl->out->fluxions[writer]->fn,
                "%s is changed by a callback (%s), and the other callbacks registered on it "
                "may read it unnamed (req.app, res.render): they run in its group too (%zu "
                "more), one at a time",
                pl->state[si]->name, pl->out->fluxions[writer]->name, joined);
  }
}

/* Whether a read-only top-level variable can be declared again on every
 * worker: its initial value uses only modules, functions, classes and other
 * such variables (`const s = new Sub()` needs Sub on every worker too). */
static bool replicable(const pipeliner_t *pl, const flxc_binding_t *b, int depth) {
  if (!is(b->decl, "variable_declarator") || depth > 8)
    return b->kind == FLXC_IMPORT;
  TSNode v = field(b->decl, "value");
  if (ts_node_is_null(v))
    return true;
  uint32_t from = ts_node_start_byte(v), to = ts_node_end_byte(v);
  if (registers_callback(pl, from, to))
    return false;
  size_t i = flxc_scope_first_ref(pl->s, from);
  for (const flxc_ref_t *r; (r = next_top_ref(pl, &i, to)) != NULL;) {
    const flxc_binding_t *d = r->binding;
    bool code = helper_index(pl, d) >= 0 || d->kind == FLXC_IMPORT;
    if (!code && !replicable(pl, d, depth + 1))
      return false;
  }
  return true;
}

/* scope, share, replicate: the top-level variables. A group is named after
 * its first shared variable, else its first variable (grp_c in Figure 5). */
static void place_state(pipeliner_t *pl, const char **group_var) {
  size_t nf = pl->out->n, ns = pl->nstate;
  int *first = calloc(ns ? ns : 1, sizeof *first);
  int *touchers = calloc(ns ? ns : 1, sizeof *touchers);
  for (size_t si = 0; si < ns; si++) {
    flxc_binding_t *b = pl->state[si];
    bool written = false;
    first[si] = -1;
    for (size_t f = 1; f < nf; f++) {
      unsigned t = pl->touch[f * ns + si];
      if (!t)
        continue;
      touchers[si]++;
      written = written || (t & FLXC_WRITE);
      if (first[si] < 0)
        first[si] = (int)f;
    }
    if (touchers[si] == 0)
      continue;   /* main's alone */
    if (!written && replicable(pl, b, 0)) {
      PUSH(pl->out->replicated, pl->out->nreplicated, b);
      touchers[si] = 0;
      continue;
    }   /* else: state of the fluxions that read it, made in their scope */
    for (size_t f = 1; f < nf; f++)
      if (pl->touch[f * ns + si]) {
        add_ctx(pl->out->fluxions[f], b);
        unite(pl, first[si], (int)f);   /* share */
      }
  }
  for (int pass = 0; pass < 2; pass++)   /* shared variables first */
    for (size_t si = 0; si < ns; si++) {
      if (touchers[si] == 0 || (pass == 0) != (touchers[si] > 1))
        continue;
      int root = find(pl, first[si]);
      if (group_var[root] == NULL)
        group_var[root] = pl->state[si]->name;
    }
  free(first);
  free(touchers);
}

/* The chain variables: declared in a function upstream, read downstream.
 * Carried down the streams from where they are declared. (One that changes
 * meanwhile is no fluxion's: keep_chain_state left its readers closures.) */
static void place_chain_vars(pipeliner_t *pl) {
  flxc_pipeline_t *p = pl->out;
  for (size_t i = 0; i < pl->s->nrefs; i++) {
    const flxc_ref_t *r = pl->s->refs[i];
    const flxc_binding_t *b = r->binding;
    if (b == NULL || b->scope->kind == FLXC_SCOPE_PROGRAM)
      continue;
    int where = runs_in(pl, r->node);
    if (where <= 0)
      continue;
    flxc_fluxion_t *reader = p->fluxions[where];
    flxc_fluxion_t *decl = flxc_owner_of(p, b->node);
    if (decl == reader)
      continue;
    flxc_fluxion_t *f = reader;
    while (f && f != decl)
      f = f->parent;
    if (f == NULL)
      continue;   /* not upstream: a closure the analysis did not split */
    for (f = reader; f != decl; f = f->parent)
      add_msg(f, (flxc_binding_t *)b);
  }
}

static void name_groups(pipeliner_t *pl, const char **group_var) {
  flxc_pipeline_t *p = pl->out;
  for (size_t f = 1; f < p->n; f++) {
    int root = find(pl, (int)f);
    bool stateful = false;
    for (size_t g = 1; g < p->n; g++)
      if (find(pl, (int)g) == root && p->fluxions[g]->nctx)
        stateful = true;
    if (!stateful)
      continue;
    if (p->fluxions[root]->group < 0) {
      const char *var = group_var[root] ? group_var[root] : p->fluxions[root]->name;
      char buf[160];
      snprintf(buf, sizeof buf, "grp_%s", var);
      p->fluxions[root]->group = (int)p->ngroups;
      PUSH(p->groups, p->ngroups, flxl_strndup(buf, strlen(buf)));
    }
    p->fluxions[f]->group = p->fluxions[root]->group;
  }
}

static bool contains_opaque(const flxc_unit_t *u, TSNode n) {
  if (is(n, "with_statement"))
    return true;
  if (is(n, "call_expression") || is(n, "new_expression")) {
    TSNode f = field(n, is(n, "call_expression") ? "function" : "constructor");
    char *t = is(f, "identifier") ? flxc_node_text(u, f) : NULL;
    bool bad = t && (strcmp(t, "eval") == 0 || strcmp(t, "Function") == 0);
    free(t);
    if (bad)
      return true;
  }
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    if (contains_opaque(u, ts_node_named_child(n, i)))
      return true;
  return false;
}

/* eval, with, new Function in a fluxion: any state may be touched there, so
 * it reads and writes every top-level variable, which puts it in one group
 * with every fluxion that has state. */
static void opaque_fallback(pipeliner_t *pl) {
  flxc_pipeline_t *p = pl->out;
  for (size_t f = 1; f < p->n; f++)
    if (contains_opaque(pl->u, p->fluxions[f]->fn)) {
      p->fluxions[f]->unnamed = true;
      for (size_t si = 0; si < pl->nstate; si++)
        pl->touch[f * pl->nstate + si] = FLXC_READWRITE;
    }
}

/* The group handlers that send their group only their state statements
 * (section.c): each section goes right after its handler. */
static void split_sections(flxc_pipeline_t *p) {
  flxc_fluxion_t **made = calloc(p->n, sizeof *made);
  size_t count = 0;
  for (size_t i = 1; i < p->n; i++)   /* all first: regions hold until then */
    count += (made[i] = flxc_section_of(p, p->fluxions[i])) != NULL;
  if (count) {
    flxc_fluxion_t **all = malloc((p->n + count) * sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
      all[n++] = p->fluxions[i];
      if (made[i])
        all[n++] = made[i];
    }
    free(p->fluxions);
    p->fluxions = all;
    p->n = n;
    for (size_t i = 0; i < n; i++)
      if (all[i]->section)
        unique_name(p, all[i]);
    index_regions(p);
  }
  free(made);
}

void flxc_pipeline(const flxc_unit_t *u, const flxc_scopes_t *s, flxc_analysis_t *an,
                   flxc_pipeline_t *out) {
  memset(out, 0, sizeof *out);
  out->unit = u;
  out->scopes = s;
  /* The analyzer's warnings come first; the pipeliner appends its own. */
  out->warnings = an->warnings;
  out->nwarnings = an->nwarnings;
  an->warnings = NULL;
  an->nwarnings = 0;
  pipeliner_t pl = {.u = u, .s = s, .out = out};
  make_fluxions(&pl, an);
  classify_bindings(&pl);
  pl.where = calloc(1, sizeof *pl.where);
  for (size_t i = 0; i < out->regions->n; i++)
    regions_add(pl.where, out->regions->r[i].from, out->regions->r[i].to,
                out->regions->r[i].id);
  for (size_t h = 0; h < pl.nhelpers; h++)
    regions_add(pl.where, ts_node_start_byte(pl.helper_fns[h]),
                ts_node_end_byte(pl.helper_fns[h]), -1 - (int)h);
  regions_seal(pl.where);
  find_from_main(&pl);
  collect_touches(&pl);
  join_configured(&pl);
  join_escaped(&pl);
  opaque_fallback(&pl);
  pl.uf = malloc(out->n * sizeof *pl.uf);
  const char **group_var = calloc(out->n, sizeof *group_var);
  for (size_t i = 0; i < out->n; i++)
    pl.uf[i] = (int)i;
  place_state(&pl, group_var);
  place_chain_vars(&pl);
  name_groups(&pl, group_var);
  place_helpers(&pl);
  place_main_statements(&pl);
  drop_main_declarations(&pl);
  warn_main_writes(&pl);
  split_sections(out);
  /* Where each rupture point and each callback is written, once: the
   * emitter asks for every pair of fluxions. */
  for (size_t i = 1; i < out->n; i++) {
    flxc_fluxion_t *f = out->fluxions[i];
    f->site_owners = malloc((f->nsites ? f->nsites : 1) * sizeof *f->site_owners);
    for (size_t k = 0; k < f->nsites; k++)
      f->site_owners[k] = flxc_owner_of(out, f->sites[k]);
    f->def_owner = f->to ? f->parent : flxc_owner_of(out, f->fn);
  }
  free((void *)group_var);
  free(pl.uf);
  free(pl.touch);
  free(pl.helper_touch);
  for (size_t h = 0; h < pl.nhelpers; h++)
    free(pl.users[h].ids);
  free(pl.users);
  free(pl.from_main);
  for (size_t si = 0; si < pl.nstate; si++)
    free(pl.configured[si].r);
  free(pl.configured);
  free(pl.state);
  free(pl.helpers);
  free(pl.helper_fns);
  regions_free(pl.where);
}

void flxc_pipeline_free(flxc_pipeline_t *p) {
  for (size_t i = 0; i < p->n; i++) {
    free(p->fluxions[i]->name);
    free(p->fluxions[i]->sites);
    free(p->fluxions[i]->site_owners);
    free(p->fluxions[i]->ctx);
    free(p->fluxions[i]->msg);
    free(p->fluxions[i]->ins);
    free(p->fluxions[i]->outs);
    free(p->fluxions[i]->exits);
    free(p->fluxions[i]->reads);
    free(p->fluxions[i]);
  }
  for (size_t i = 0; i < p->ngroups; i++)
    free(p->groups[i]);
  for (size_t i = 0; i < p->nwarnings; i++)
    free(p->warnings[i].message);
  free(p->fluxions);
  free(p->by_fn);
  regions_free(p->regions);
  free(p->groups);
  free(p->replicated);
  free(p->from_main);
  free(p->group_code);
  free(p->group_only);
  free(p->warnings);
  memset(p, 0, sizeof *p);
}
