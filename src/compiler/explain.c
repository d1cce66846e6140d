/* explain.c — `--explain`: what the pipeliner decided, in words. For each
 * group, its fluxions and the variables that made it (where each is changed
 * and read); then what runs in parallel on any worker, and what is copied to
 * every worker. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refs listed per variable and kind before "…". */
enum { MAX_PLACES = 6 };

typedef struct explainer_s {
  const flxc_pipeline_t *p;
  FILE *out;
  const char *app;          /* the application's main file, as named */
  char *dir;                /* its folder's full path, with its '/'; or NULL */
  size_t ndir;
} explainer_t;

/* "line 7", or "routes/todos.js:7" outside the application's main file
 * (the linker names those by their full path). */
static void line_of(const explainer_t *x, int unit_line) {
  const char *file;
  int line;
  flxc_unit_position(x->p->unit, unit_line, &file, &line);
  if (strcmp(file, x->app) == 0)
    fprintf(x->out, "line %d", line);
  else if (x->dir && strncmp(file, x->dir, x->ndir) == 0)
    fprintf(x->out, "%s:%d", file + x->ndir, line);
  else
    fprintf(x->out, "%s:%d", file, line);
}

/* Source text as one short line: line breaks and their indentation go, and
 * the linker's $N suffixes (router$1) with them. */
static void tidy(char *t) {
  char *w = t;
  for (char *r = t; *r;) {
    if (*r == '\n') {
      while (*r == '\n' || *r == ' ' || *r == '\t')
        r++;
    } else if (*r == '$' && w > t && isdigit((unsigned char)r[1])) {
      for (r++; isdigit((unsigned char)*r); r++)
        ;
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
  if (strlen(t) > 48)
    strcpy(t + 45, "...");
}

static void print_name(const explainer_t *x, const char *name) {
  char *t = strdup(name);
  tidy(t);
  fputs(t, x->out);
  free(t);
}

static void where_is(const explainer_t *x, TSNode n) {
  line_of(x, (int)ts_node_start_point(n).row + 1);
}

/* What a callback is for: the call it was given to (app.get('/todos', …)),
 * or "after await in X" for a continuation. */
static void purpose(const explainer_t *x, const flxc_fluxion_t *f) {
  FILE *out = x->out;
  if (f->section) {   /* "the statements of visit that touch its state, line 4 to 5" */
    int lines = 0;
    for (uint32_t at = f->from; at < f->to; at++)
      lines += x->p->unit->src[at] == '\n';
    const char *file;
    int first;
    flxc_unit_position(x->p->unit, f->line, &file, &first);
    fprintf(out, "the statements of %s that touch its state, ", f->parent->name);
    line_of(x, f->line);
    if (lines)
      fprintf(out, " to %d", first + lines);
    /* ", and what its answer reads of it at line 9" */
    for (size_t i = 0; i < f->nreads; i++) {
      int line = (int)ts_node_start_point(f->reads[i]).row + 1;
      if (i == 0 || line != (int)ts_node_start_point(f->reads[i - 1]).row + 1) {
        fputs(i ? ", " : ", and what its answer reads of it at ", out);
        line_of(x, line);
      }
    }
    return;
  }
  if (f->to) {
    fprintf(out, "after an await in %s", f->parent ? f->parent->name : "main");
    return;
  }
  if (f->nsites == 0)
    return;
  TSNode args = ts_node_parent(f->sites[0]), call = ts_node_parent(args);
  if (!is(args, "arguments") || !is(call, "call_expression"))
    return;
  char *callee = flxc_node_text(x->p->unit, field(call, "function"));
  TSNode first = ts_node_named_child(args, 0);
  char *path = is(first, "string") ? flxc_node_text(x->p->unit, first) : NULL;
  print_name(x, callee);
  fprintf(out, "(%s%s…)", path ? path : "", path ? ", " : "");
  free(path);
  free(callee);
}

/* "  name   line 7  app.get('/', …)" */
static void fluxion_line(const explainer_t *x, const flxc_fluxion_t *f) {
  fprintf(x->out, "  %-16s ", f->name);
  line_of(x, f->line);
  fputs("  ", x->out);
  purpose(x, f);
  fputc('\n', x->out);
}

/* The helper (group code) whose function holds n, or NULL. */
static const flxc_group_code_t *in_helper(const flxc_pipeline_t *p, TSNode n) {
  uint32_t at = ts_node_start_byte(n);
  for (size_t i = 0; i < p->ngroup_code; i++)
    if (at >= ts_node_start_byte(p->group_code[i].fn) && at < ts_node_end_byte(p->group_code[i].fn))
      return &p->group_code[i];
  return NULL;
}

/* One place of a list ("; changed at " before the first); false once the
 * list is full. */
typedef struct {
  size_t n;
  uint32_t last_row;
} place_list_t;

static bool place(const explainer_t *x, place_list_t *l, TSNode node, bool writes) {
  const flxc_pipeline_t *p = x->p;
  FILE *out = x->out;
  const flxc_fluxion_t *owner = flxc_owner_of(p, node);
  const flxc_group_code_t *h = owner && owner->index == 0 ? in_helper(p, node) : NULL;
  if (owner == NULL || (owner->index == 0 && h == NULL))
    return true;   /* main's own, before anything runs in parallel */
  if (ts_node_start_point(node).row == l->last_row)
    return true;   /* said for this line already */
  l->last_row = ts_node_start_point(node).row;
  if (l->n == 0)
    fprintf(out, "; %s at ", writes ? "changed" : "read");
  if (l->n++ == MAX_PLACES) {
    fputs(", ...", out);
    return false;
  }
  if (l->n > 1)
    fputs(", ", out);
  where_is(x, node);
  if (h && h->helper == NULL)
    fputs(" (main, run in the group)", out);
  else
    fprintf(out, " (%s%s)", h ? "helper " : "", h ? h->helper->name : owner->name);
  return true;
}

/* "changed at a.js:3 (f), a.js:9 (helper h)": the references of b that
 * fluxions (or the helpers they call) make, of one kind; changes made
 * through another name (u.visits++ with u = users.find(...)) too. */
static void places(const explainer_t *x, const flxc_binding_t *b, bool writes) {
  place_list_t l = {0, UINT32_MAX};
  bool more = true;
  for (size_t i = 0; i < b->nrefs && more; i++) {
    const flxc_ref_t *r = b->refs[i];
    if (!r->init && ((r->access & FLXC_WRITE) != 0) == writes)
      more = place(x, &l, r->node, writes);
  }
  for (size_t i = 0; writes && i < b->nalias_writes && more; i++)
    more = place(x, &l, b->alias_writes[i], writes);
}

static void explain_group(const explainer_t *x, int g) {
  const flxc_pipeline_t *p = x->p;
  FILE *out = x->out;
  size_t members = 0;
  for (size_t i = 1; i < p->n; i++)
    members += p->fluxions[i]->group == g;
  fprintf(out, "\ngroup %s: %zu fluxion%s, one message at a time, on one worker\n",
          p->groups[g], members, members == 1 ? "" : "s");
  const flxc_binding_t **vars = NULL;
  size_t nvars = 0;
  for (size_t i = 1; i < p->n; i++) {
    const flxc_fluxion_t *f = p->fluxions[i];
    if (f->group != g)
      continue;
    fluxion_line(x, f);
    for (size_t c = 0; c < f->nctx; c++) {
      bool known = false;
      for (size_t k = 0; k < nvars && !known; k++)
        known = vars[k] == f->ctx[c];
      if (!known)
        PUSH(vars, nvars, f->ctx[c]);
    }
  }
  fputs(members > 1 ? "  because they share:\n" : "  because it keeps:\n", out);
  for (size_t k = 0; k < nvars; k++) {
    fprintf(out, "    %s (declared ", vars[k]->name);
    where_is(x, vars[k]->node);
    fputc(')', out);
    places(x, vars[k], true);
    places(x, vars[k], false);
    fputc('\n', out);
  }
  for (size_t h = 0; h < p->ngroup_code; h++)
    if (p->group_code[h].group == g && p->group_code[h].helper == NULL) {
      fputs("  main's statement at ", out);
      where_is(x, p->group_code[h].fn);
      fputs(" runs in the group, before its first message: it works on the group's state\n", out);
    } else if (p->group_code[h].group == g) {
      fputs("  helper ", out);
      print_name(x, p->group_code[h].helper->name);
      fputs(" (", out);
      where_is(x, p->group_code[h].fn);
      fputs(") is declared in the group: its callers run there\n", out);
    }
  free(vars);
}

void flxc_emit_explain(const flxc_pipeline_t *p, FILE *out) {
  explainer_t ex = {.p = p, .out = out}, *x = &ex;
  int first;
  flxc_unit_position(p->unit, 1, &ex.app, &first);
  ex.dir = realpath(ex.app, NULL);
  char *slash = ex.dir ? strrchr(ex.dir, '/') : NULL;
  ex.ndir = slash ? (size_t)(slash - ex.dir + 1) : 0;
  size_t stateless = 0;
  for (size_t i = 1; i < p->n; i++)
    stateless += p->fluxions[i]->group < 0;
  fprintf(out, "%zu fluxions: main, %zu in %zu group%s, %zu on any worker\n", p->n,
          p->n - 1 - stateless, p->ngroups, p->ngroups == 1 ? "" : "s", stateless);
  fputs("\nmain runs once, at start, on worker 0 (", out);
  line_of(x, p->fluxions[0]->line);
  fputs(")\n", out);
  for (size_t g = 0; g < p->ngroups; g++)
    explain_group(x, (int)g);
  if (stateless) {
    fputs("\nin parallel, on any worker (they keep no state between messages):\n", out);
    for (size_t i = 1; i < p->n; i++) {
      const flxc_fluxion_t *f = p->fluxions[i];
      if (f->group >= 0)
        continue;
      fluxion_line(x, f);
      for (size_t k = i + 1; k < p->n; k++)
        if (p->fluxions[k]->section && p->fluxions[k]->parent == f)
          fprintf(out, "  %-16s   its statements that touch state go to %s (%s)\n", "",
                  p->groups[p->fluxions[k]->group], p->fluxions[k]->name);
    }
  }
  if (p->nreplicated) {
    fputs("\ncopied to every worker (nothing changes them after start):", out);
    for (size_t i = 0; i < p->nreplicated; i++) {
      fputs(i ? ", " : " ", out);
      print_name(x, p->replicated[i]->name);
    }
    fputc('\n', out);
  }
  free(ex.dir);
}
