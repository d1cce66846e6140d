/* emit.c — the pipeliner's result as a fluxional program (the syntax tree of
 * src/lang, printed by flxl_print), as JSON (`flx compile --json`), and as a
 * Graphviz graph (`--graph dot`). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>


static bool replicated(const flxc_pipeline_t *p, const flxc_binding_t *b) {
  for (size_t i = 0; i < p->nreplicated; i++)
    if (p->replicated[i] == b)
      return true;
  return false;
}

static bool group_only(const flxc_pipeline_t *p, const flxc_binding_t *b) {
  for (size_t i = 0; i < p->ngroup_only; i++)
    if (p->group_only[i] == b)
      return true;
  return false;
}

/* A top-level declaration whose names are all declared elsewhere: replicated
 * ones (on every worker), and, if `group_vars` is set, variables that live in
 * a group alone (in its scope). Without group_vars, one replicated at least. */
static bool declared_elsewhere(const flxc_pipeline_t *p, TSNode st, bool group_vars) {
  flxc_scope_t *program = p->scopes->scopes[0];
  uint32_t from = ts_node_start_byte(st), to = ts_node_end_byte(st);
  size_t declared = 0, replicas = 0;
  for (size_t i = 0; i < program->nbindings; i++) {
    const flxc_binding_t *b = program->bindings[i];
    uint32_t at = ts_node_start_byte(b->node);
    if (at < from || at >= to)
      continue;
    bool r = replicated(p, b);
    if (!r && !(group_vars && group_only(p, b)))
      return false;
    replicas += r;
    declared++;
  }
  return declared > 0 && (group_vars || replicas > 0) && !flxc_fluxion_of(p, st) &&
         (is(st, "lexical_declaration") || is(st, "variable_declaration") ||
          is(st, "function_declaration") || is(st, "class_declaration") ||
          is(st, "import_statement"));
}

/* A top-level statement that only declares replicated names. */
static bool replicated_statement(const flxc_pipeline_t *p, TSNode st) {
  return declared_elsewhere(p, st, false);
}

/* Where a statement of main moved to (a group, or -2: every worker), or -1. */
static int moved_to(const flxc_pipeline_t *p, TSNode st) {
  for (size_t i = 0; i < p->ngroup_code; i++)
    if (p->group_code[i].helper == NULL && ts_node_eq(p->group_code[i].fn, st))
      return p->group_code[i].group;
  return -1;
}

/* A top-level statement main does without: a declaration of names declared
 * elsewhere (replicated, or a group's alone), or a statement moved out of main. */
static bool main_does_without(const flxc_pipeline_t *p, TSNode st) {
  return moved_to(p, st) != -1 || declared_elsewhere(p, st, true);
}

/* ---- streams ------------------------------------------------------------ */

static int stream_order(const void *a, const void *b) {
  const flxc_stream_t *x = a, *y = b;
  if (x->from->index != y->from->index)
    return x->from->index - y->from->index;
  return x->to->index - y->to->index;
}

size_t flxc_streams(const flxc_pipeline_t *p, flxc_stream_t **out) {
  flxc_stream_t *st = NULL;
  size_t n = 0;
  for (size_t i = 1; i < p->n; i++) {
    const flxc_fluxion_t *d = p->fluxions[i];
    /* A continuation follows its parent; a callback, each rupture point. */
    for (size_t s = 0; s <= d->nsites; s++) {
      const flxc_fluxion_t *from = s < d->nsites ? d->site_owners[s] : d->to ? d->parent : NULL;
      bool known = from == NULL;
      for (size_t k = n; k-- > 0 && !known;)
        known = st[k].to == d && st[k].from == from;
      if (known)
        continue;
      st = realloc(st, (n + 1) * sizeof *st);
      st[n++] = (flxc_stream_t){from, d, d->parent == from};
    }
  }
  if (n)
    qsort(st, n, sizeof *st, stream_order);
  *out = st;
  return n;
}

/* From a declaration that also declares state (`var app = express(), fs =
 * require('fs'), count = 0;`), its replicated declarators, as declarations of
 * their own: every worker needs them; main keeps the whole statement. */
static void replicated_declarators(const flxc_pipeline_t *p, TSNode st, FILE *out) {
  const flxc_scope_t *program = p->scopes->scopes[0];
  TSNode kind = ts_node_child(st, 0);   /* var, let or const */
  char *kw = flxc_node_text(p->unit, kind);
  uint32_t k = ts_node_named_child_count(st);
  for (uint32_t i = 0; i < k; i++) {
    TSNode d = ts_node_named_child(st, i);
    TSNode name = field(d, "name");
    if (!is(d, "variable_declarator") || !is(name, "identifier"))
      continue;
    for (size_t b = 0; b < program->nbindings; b++)
      if (ts_node_eq(program->bindings[b]->node, name) && replicated(p, program->bindings[b])) {
        char *text = flxc_node_text(p->unit, d);
        fprintf(out, "%s %s;\n", kw, text);
        free(text);
      }
  }
  free(kw);
}

/* ---- text with edits ---------------------------------------------------- */

typedef struct edit_s {
  uint32_t from, to;
  char *with;             /* NULL: remove */
} edit_t;

typedef struct edits_s {
  edit_t *e;
  size_t n;
} edits_t;

static void add_edit(edits_t *ed, uint32_t from, uint32_t to, const char *with) {
  ed->e = realloc(ed->e, (ed->n + 1) * sizeof *ed->e);
  if (ed->e == NULL)
    abort();
  ed->e[ed->n++] = (edit_t){from, to, with ? flxl_strndup(with, strlen(with)) : NULL};
}

static int by_start(const void *a, const void *b) {
  const edit_t *x = a, *y = b;
  return x->from < y->from ? -1 : x->from > y->from;
}

/* The source from..to with the edits applied, dedented by `indent` columns
 * on every line but the first. */
static char *apply(const flxc_unit_t *u, uint32_t from, uint32_t to, edits_t *ed,
                   uint32_t indent) {
  char *out = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&out, &size);
  if (ed->n)
    qsort(ed->e, ed->n, sizeof *ed->e, by_start);
  uint32_t at = from;
  for (size_t i = 0; i <= ed->n; i++) {
    uint32_t until = i < ed->n ? ed->e[i].from : to;
    if (i < ed->n && ed->e[i].from < at)
      continue;   /* inside an edit already made */
    for (uint32_t c = at; c < until; c++) {
      fputc(u->src[c], f);
      if (u->src[c] == '\n')   /* dedent the next line */
        for (uint32_t k = 0; k < indent && c + 1 < until && u->src[c + 1] == ' '; k++)
          c++;
    }
    if (i < ed->n) {
      if (ed->e[i].with)
        fputs(ed->e[i].with, f);
      at = ed->e[i].to;
    }
  }
  fclose(f);
  for (size_t i = 0; i < ed->n; i++)
    free(ed->e[i].with);
  free(ed->e);
  ed->e = NULL;
  ed->n = 0;
  return out;
}

/* A chain variable that joined its group's context (a listener registered
 * in the chain reads it: `const iv = setInterval(...)` read by the interval's
 * callback) is the group's: where f declares it, the declaration becomes an
 * assignment to it (`const ` goes), so the listener sees the value. Only a
 * statement that declares nothing else is changed. */
static void group_chain_declarations(const flxc_pipeline_t *p, const flxc_fluxion_t *f,
                                     edits_t *ed) {
  for (size_t c = 0; c < f->nctx; c++) {
    const flxc_binding_t *b = f->ctx[c];
    if (b->scope->kind == FLXC_SCOPE_PROGRAM || flxc_owner_of(p, b->node) != f ||
        !is(b->decl, "variable_declarator"))
      continue;
    TSNode st = ts_node_parent(b->decl);
    if ((!is(st, "lexical_declaration") && !is(st, "variable_declaration")) ||
        ts_node_named_child_count(st) != 1)
      continue;
    TSNode kw = ts_node_child(st, 0);
    add_edit(ed, ts_node_start_byte(kw), ts_node_start_byte(b->decl), NULL);
  }
}

/* `return [outputs, reads];` of section f at byte `at`, with the exit's
 * number when it has exits (0: it ran to its end). An output declared by
 * let, const or class further on is not there yet: undefined; the reads of
 * the state after it are taken at its end only (an exit does not need
 * them). */
static char *section_return(const flxc_unit_t *u, const flxc_fluxion_t *f, uint32_t at,
                            size_t exit) {
  char *text = NULL;
  size_t size = 0;
  FILE *w = open_memstream(&text, &size);
  fputs("return [", w);
  for (size_t i = 0; i < f->nouts; i++) {
    const flxc_binding_t *b = f->outs[i];
    bool later = b->kind != FLXC_VAR && ts_node_start_byte(b->node) >= at;
    fprintf(w, "%s%s", i ? ", " : "", later ? "undefined" : b->name);
  }
  for (size_t i = 0; i < f->nreads; i++) {
    char *read = exit ? NULL : flxc_node_text(u, f->reads[i]);
    fprintf(w, "%s%s", f->nouts + i ? ", " : "", read ? read : "undefined");
    free(read);
  }
  if (f->nexits)
    fprintf(w, "%s%zu", f->nouts + f->nreads ? ", " : "", exit);
  fputs("];", w);
  fclose(w);
  return text;
}

/* In section f, each `req.part` reads the part it was given. */
static void request_parts_given(const flxc_pipeline_t *p, const flxc_fluxion_t *f,
                                edits_t *ed) {
  for (size_t i = 0; i < f->req->nrefs; i++) {
    TSNode m = ts_node_parent(f->req->refs[i]->node);
    if (ts_node_start_byte(m) < f->from || ts_node_end_byte(m) > f->to)
      continue;
    char *part = flxc_node_text(p->unit, field(m, "property")), with[64];
    snprintf(with, sizeof with, "__flx_req_%s", part);
    add_edit(ed, ts_node_start_byte(m), ts_node_end_byte(m), with);
    free(part);
  }
}

/* Handler f around its state section c (section.c): the section becomes
 * `(-> c)(ins, __flx.stay(next, (outs) => {`, closed after f's last
 * statement, so the statements after it run when the group calls back with
 * the outputs; a handler without a next parameter gets a rest parameter to
 * find it in (a rest does not change the handler's length, which Express
 * reads). */
static void section_call(const flxc_pipeline_t *p, const flxc_fluxion_t *f,
                         const flxc_fluxion_t *c, uint32_t indent, edits_t *ed) {
  TSNode params = field(f->fn, "parameters"), body = field(f->fn, "body");
  char *next = NULL;
  if (ts_node_named_child_count(params) == 3) {
    next = flxc_node_text(p->unit, ts_node_named_child(params, 2));
  } else {
    next = flxl_strndup("__flx_rest[0]", 13);
    add_edit(ed, ts_node_end_byte(ts_node_named_child(params, 1)),
             ts_node_end_byte(ts_node_named_child(params, 1)), ", ...__flx_rest");
  }
  char *call = NULL;
  size_t size = 0;
  FILE *w = open_memstream(&call, &size);
  fprintf(w, "(-> %s)(", c->name);
  for (size_t i = 0; i < c->nins; i++)
    fprintf(w, "%s, ", c->ins[i]->name);
  for (int i = 0; flxc_request_parts[i]; i++)
    if (c->parts & (1u << i))
      fprintf(w, "%s.%s, ", c->req->name, flxc_request_parts[i]);
  fprintf(w, "__flx.stay(%s, (", next);
  for (size_t i = 0; i < c->nouts; i++)
    fprintf(w, "%s%s", i ? ", " : "", c->outs[i]->name);
  for (size_t i = 0; i < c->nreads; i++)
    fprintf(w, "%s__flx_read_%zu", c->nouts + i ? ", " : "", i + 1);
  fprintf(w, "%s) => {",
          c->nexits ? (c->nouts + c->nreads ? ", __flx_exit" : "__flx_exit") : "");
  for (size_t i = 0; i < c->nexits; i++) {   /* the returns the section took */
    TSNode value = ts_node_named_child(c->exits[i], 0);
    char *v = ts_node_is_null(value) ? NULL : flxc_node_text(p->unit, value);
    fprintf(w, " if (__flx_exit === %zu) return%s%s;", i + 1, v ? " " : "", v ? v : "");
    free(v);
  }
  fclose(w);
  add_edit(ed, c->from, c->to, call);
  free(call);
  free(next);
  for (size_t i = 0; i < c->nreads; i++) {   /* what the group read for them */
    bool shorthand = is(c->reads[i], "shorthand_property_identifier");   /* { hits } */
    char *name = shorthand ? flxc_node_text(p->unit, c->reads[i]) : NULL, *read = NULL;
    size_t n = 0;
    FILE *r = open_memstream(&read, &n);
    fprintf(r, "%s%s__flx_read_%zu", shorthand ? name : "", shorthand ? ": " : "", i + 1);
    fclose(r);
    add_edit(ed, ts_node_start_byte(c->reads[i]), ts_node_end_byte(c->reads[i]), read);
    free(read);
    free(name);
  }
  /* Closed after the handler's last statement, at its indentation. */
  TSNode last = ts_node_named_child(body, ts_node_named_child_count(body) - 1);
  uint32_t col = ts_node_start_point(last).column;
  col = col > indent ? col - indent : 2;
  char close[64];
  snprintf(close, sizeof close, "\n%*s}));", (int)(col < 40 ? col : 40), "");
  add_edit(ed, ts_node_end_byte(last), ts_node_end_byte(last), close);
}

/* The code of fluxion f: its function (or the program, for main), with each
 * downstream callback replaced by its placeholder and the declarations that
 * moved into other fluxions removed. */
static char *body_of(const flxc_pipeline_t *p, const flxc_fluxion_t *f) {
  const flxc_unit_t *u = p->unit;
  TSNode root = ts_tree_root_node(u->tree);
  TSNode whole = f->fn;
  uint32_t from = ts_node_is_null(whole) ? 0 : ts_node_start_byte(whole);
  uint32_t to = ts_node_is_null(whole) ? (uint32_t)u->len : ts_node_end_byte(whole);
  if (f->to) {
    from = f->from;
    to = f->to;
  }
  uint32_t indent = 0;   /* of the line the function starts on */
  if (!ts_node_is_null(whole)) {
    uint32_t bol = from;
    while (bol > 0 && u->src[bol - 1] != '\n')
      bol--;
    while (u->src[bol + indent] == ' ')
      indent++;
  }
  edits_t ed = {0};
  group_chain_declarations(p, f, &ed);
  if (f->section && f->parts)
    request_parts_given(p, f, &ed);
  for (size_t i = 0; f->section && i < f->nexits; i++) {
    char *ret = section_return(u, f, ts_node_start_byte(f->exits[i]), i + 1);
    add_edit(&ed, ts_node_start_byte(f->exits[i]), ts_node_end_byte(f->exits[i]), ret);
    free(ret);
  }
  for (size_t i = 1; i < p->n; i++) {
    const flxc_fluxion_t *c = p->fluxions[i];
    /* A callback defined apart and read from a variable or an object (not a
     * declaration) keeps its site: the variable holds the placeholder. */
    bool stored = !is(c->fn, "function_declaration");
    for (size_t s = 0; s < c->nsites; s++)
      if (c->site_owners[s] == f &&
          !(stored && !ts_node_eq(c->sites[s], c->fn) &&
            (is(c->sites[s], "identifier") || is(c->sites[s], "member_expression")))) {
        /* A callback called directly (poll();) becomes (-> poll)(). */
        TSNode up = ts_node_parent(c->sites[s]);
        bool callee = is(up, "call_expression") && ts_node_eq(field(up, "function"), c->sites[s]);
        char ph[200];
        snprintf(ph, sizeof ph, callee ? "(%s %s)" : "%s %s",
                 c->kind == FLXL_START ? ">>" : "->", c->name);
        add_edit(&ed, ts_node_start_byte(c->sites[s]), ts_node_end_byte(c->sites[s]), ph);
      }
    /* A callback defined apart from its rupture point (a declaration, a
     * variable's value, an object's member) moves into its own fluxion: the
     * declaration goes, a value becomes the placeholder too. */
    if (c->section && c->parent == f) {
      section_call(p, f, c, indent, &ed);
      continue;
    }
    if (c->to) {   /* a continuation: the statements after an await */
      if (c->parent == f) {
        char call[200];
        snprintf(call, sizeof call, "(-> %s)();", c->name);
        add_edit(&ed, c->from, c->to, call);
      }
      continue;
    }
    bool inline_site = false;
    for (size_t s = 0; s < c->nsites; s++)
      inline_site = inline_site || ts_node_eq(c->sites[s], c->fn);
    if (c != f && !inline_site && c->def_owner == f) {
      char ph[200];
      snprintf(ph, sizeof ph, "%s %s", c->kind == FLXL_START ? ">>" : "->", c->name);
      add_edit(&ed, ts_node_start_byte(c->fn), ts_node_end_byte(c->fn),
               is(c->fn, "function_declaration") ? NULL : ph);
    }
  }
  if (f == p->fluxions[0]) {
    uint32_t k = ts_node_named_child_count(root);
    for (uint32_t i = 0; i < k; i++) {
      TSNode st = ts_node_named_child(root, i);
      if (main_does_without(p, st))
        add_edit(&ed, ts_node_start_byte(st), ts_node_end_byte(st), NULL);
    }
  }
  char *text = apply(u, from, to, &ed, indent);
  if (f->to) {   /* a continuation becomes a function of its own */
    char *wrapped = NULL;
    size_t size = 0;
    FILE *w = open_memstream(&wrapped, &size);
    if (f->section) {   /* (ins, __flx_k) => __flx.state(__flx_k, () => { ... }) */
      fputc('(', w);
      for (size_t i = 0; i < f->nins; i++)
        fprintf(w, "%s, ", f->ins[i]->name);
      for (int i = 0; flxc_request_parts[i]; i++)
        if (f->parts & (1u << i))
          fprintf(w, "__flx_req_%s, ", flxc_request_parts[i]);
      fputs("__flx_k) => __flx.state(__flx_k, () => {\n", w);
    } else {
      fputs("async () => {\n", w);
    }
    for (char *line = text; *line;) {
      size_t n = strcspn(line, "\n");
      fprintf(w, "%s%.*s\n", n ? "  " : "", (int)n, line);
      line += n + (line[n] == '\n');
    }
    if (f->section) {
      char *ret = section_return(u, f, f->to, 0);
      fprintf(w, "  %s\n})\n", ret);
      free(ret);
    } else {
      fputs("}\n", w);
    }
    fclose(w);
    free(text);
    text = wrapped;
  }
  /* Blank runs left by removals: at most one empty line in a row. */
  char *w = text;
  int newlines = 0;
  for (char *r = text; *r; r++) {
    newlines = *r == '\n' ? newlines + 1 : (*r == ' ' || *r == '\t') ? newlines : 0;
    if (newlines > 2)
      continue;
    *w++ = *r;
  }
  *w = '\0';
  return text;
}

static bool from_main(const flxc_pipeline_t *p, const flxc_binding_t *b) {
  for (size_t i = 0; i < p->nfrom_main; i++)
    if (p->from_main[i] == b)
      return true;
  return false;
}

/* A one-line initial value: the declaration's, with its whitespace folded. */
static char *init_of(const flxc_unit_t *u, const flxc_binding_t *b) {
  if (!is(b->decl, "variable_declarator") || !is(field(b->decl, "name"), "identifier") ||
      b->scope->kind != FLXC_SCOPE_PROGRAM)   /* a chain's: set where it is declared */
    return NULL;
  TSNode v = field(b->decl, "value");
  if (ts_node_is_null(v))
    return NULL;
  char *t = flxc_node_text(u, v), *w = t;
  bool space = false;
  for (char *r = t; *r; r++) {
    if (*r == '\n' || *r == '\r' || *r == ' ' || *r == '\t') {
      space = true;
      continue;
    }
    if (space && w != t)
      *w++ = ' ';
    space = false;
    *w++ = *r;
  }
  *w = '\0';
  return t;
}

static void list_add(flxl_list_t *l, const char *s) {
  l->items = realloc(l->items, (l->n + 1) * sizeof *l->items);
  if (l->items == NULL)
    abort();
  l->items[l->n++] = flxl_strndup(s, strlen(s));
}

/* `group G @ origin` and a helper's declaration: a function or class as
 * written, a function held by a variable as `var name = function`. */
static void emit_group_code(const flxc_pipeline_t *p, const flxc_group_code_t *c,
                            flxl_fluxion_t *x) {
  const flxc_unit_t *u = p->unit;
  const char *group = p->groups[c->group], *file;
  TSNode decl = c->helper ? c->helper->decl : c->fn;
  TSPoint at = ts_node_start_point(decl);
  x->item = FLXL_GROUP_CODE;
  x->name = flxl_strndup(group, strlen(group));
  flxc_unit_position(u, (int)at.row + 1, &file, &x->origin_line);
  x->origin_file = flxl_strndup(file, strlen(file));
  x->origin_col = (int)at.column + 1;
  edits_t none = {0};
  char *text = apply(u, ts_node_start_byte(c->fn), ts_node_end_byte(c->fn), &none, at.column);
  char *body = NULL;
  size_t size = 0;
  FILE *b = open_memstream(&body, &size);
  if (ts_node_eq(c->fn, decl))   /* a declaration, or main's statement */
    fprintf(b, "%s\n", text);
  else
    fprintf(b, "var %s = %s;\n", c->helper->name, text);
  fclose(b);
  free(text);
  x->body = body;
}

void flxc_emit_flx(const flxc_pipeline_t *p, flxl_program_t *out) {
  const flxc_unit_t *u = p->unit;
  memset(out, 0, sizeof *out);
  out->items = calloc(p->n + 1 + p->ngroup_code, sizeof *out->items);
  bool *group_done = calloc(p->ngroups + 1, sizeof *group_done);

  /* The replicated declarations, in source order. */
  TSNode root = ts_tree_root_node(u->tree);
  char *rep = NULL;
  size_t rsize = 0;
  FILE *rf = open_memstream(&rep, &rsize);
  uint32_t k = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < k; i++) {
    TSNode st = ts_node_named_child(root, i);
    if (replicated_statement(p, st) || moved_to(p, st) == -2) {
      edits_t none = {0};
      char *t = apply(u, ts_node_start_byte(st), ts_node_end_byte(st), &none, 0);
      fprintf(rf, "%s\n", t);
      free(t);
    } else if (is(st, "lexical_declaration") || is(st, "variable_declaration")) {
      replicated_declarators(p, st, rf);   /* var app = ..., fs = require('fs'); */
    }
  }
  fclose(rf);
  if (rsize) {
    flxl_fluxion_t *r = &out->items[out->n++];
    r->item = FLXL_REPLICATED;
    r->body = rep;
  } else {
    free(rep);
  }

  flxc_stream_t *streams;
  size_t nstreams = flxc_streams(p, &streams);
  for (size_t i = 0; i < p->n; i++) {
    const flxc_fluxion_t *f = p->fluxions[i];
    if (f->group >= 0 && !group_done[f->group]) {   /* its helpers, before its first fluxion */
      group_done[f->group] = true;
      for (size_t h = 0; h < p->ngroup_code; h++)
        if (p->group_code[h].group == f->group)
          emit_group_code(p, &p->group_code[h], &out->items[out->n++]);
    }
    flxl_fluxion_t *x = &out->items[out->n++];
    x->name = flxl_strndup(f->name, strlen(f->name));
    if (f->group >= 0)
      list_add(&x->tags, p->groups[f->group]);
    x->ctx = calloc(f->nctx + 1, sizeof *x->ctx);
    for (size_t c = 0; c < f->nctx; c++) {
      x->ctx[c].name = flxl_strndup(f->ctx[c]->name, strlen(f->ctx[c]->name));
      x->ctx[c].from_main = from_main(p, f->ctx[c]);
      x->ctx[c].init = x->ctx[c].from_main ? NULL : init_of(u, f->ctx[c]);
    }
    x->nctx = f->nctx;
    const char *file;
    flxc_unit_position(u, f->line, &file, &x->origin_line);
    x->origin_file = flxl_strndup(file, strlen(file));
    x->origin_col = f->col;
    for (size_t s = 0; s < nstreams; s++) {
      const flxc_fluxion_t *d = streams[s].to;
      if (streams[s].from != f)
        continue;
      x->streams = realloc(x->streams, (x->nstreams + 1) * sizeof *x->streams);
      flxl_stream_t *st = &x->streams[x->nstreams++];
      memset(st, 0, sizeof *st);
      st->kind = d->kind;
      list_add(&st->dest, d->name);
      for (size_t m = 0; streams[s].primary && m < d->nmsg; m++)
        list_add(&st->msg, d->msg[m]->name);
    }
    x->sends_nothing = x->nstreams == 0;
    char *body = body_of(p, f);
    size_t lead = strspn(body, "\n");   /* canonical: no blank lines around */
    memmove(body, body + lead, strlen(body + lead) + 1);
    size_t n = strlen(body);   /* flxl bodies end with one newline */
    while (n && (body[n - 1] == '\n' || body[n - 1] == ' '))
      body[--n] = '\0';
    x->body = realloc(body, n + 2);
    strcpy(x->body + n, "\n");
  }
  free(streams);
  free(group_done);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_str(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c == '\n')
      fputs("\\n", out);
    else if (c < 0x20)
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

static void json_names(FILE *out, flxc_binding_t *const *b, size_t n) {
  fputc('[', out);
  for (size_t i = 0; i < n; i++) {
    if (i)
      fputs(", ", out);
    json_str(out, b[i]->name);
  }
  fputc(']', out);
}

void flxc_emit_json(const flxc_pipeline_t *p, FILE *out) {
  flxc_stream_t *streams;
  size_t nstreams = flxc_streams(p, &streams);
  fputs("{\"fluxions\": [", out);
  for (size_t i = 0; i < p->n; i++) {
    const flxc_fluxion_t *f = p->fluxions[i];
    fprintf(out, "%s\n  {\"name\": ", i ? "," : "");
    json_str(out, f->name);
    fputs(", \"group\": ", out);
    if (f->group >= 0)
      json_str(out, p->groups[f->group]);
    else
      fputs("null", out);
    fputs(", \"context\": ", out);
    json_names(out, f->ctx, f->nctx);
    fputs(", \"streams\": [", out);
    bool first = true;
    for (size_t k = 0; k < nstreams; k++) {
      const flxc_fluxion_t *d = streams[k].to;
      if (streams[k].from != f)
        continue;
      fprintf(out, "%s{\"type\": \"%s\", \"to\": [", first ? "" : ", ",
              d->kind == FLXL_START ? "start" : "post");
      json_str(out, d->name);
      fputs("], \"msg\": ", out);
      json_names(out, d->msg, streams[k].primary ? d->nmsg : 0);
      fputc('}', out);
      first = false;
    }
    const char *file;
    int line;
    flxc_unit_position(p->unit, f->line, &file, &line);
    fprintf(out, "], \"line\": %d, \"file\": ", line);
    json_str(out, file);
    fputc('}', out);
  }
  fputs("\n], \"groups\": [", out);
  for (size_t g = 0; g < p->ngroups; g++) {
    if (g)
      fputs(", ", out);
    json_str(out, p->groups[g]);
  }
  fputs("], \"replicated\": ", out);
  json_names(out, p->replicated, p->nreplicated);
  fputs(", \"warnings\": [", out);
  for (size_t w = 0; w < p->nwarnings; w++) {
    char buf[5000];
    const char *file;
    int line;
    flxc_unit_position(p->unit, p->warnings[w].line, &file, &line);
    snprintf(buf, sizeof buf, "%s:%d:%d: warning: %s", file, line, p->warnings[w].col,
             p->warnings[w].message);
    if (w)
      fputs(", ", out);
    json_str(out, buf);
  }
  fputs("]}\n", out);
  free(streams);
}

void flxc_emit_warnings(const flxc_pipeline_t *p, FILE *out) {
  for (size_t w = 0; w < p->nwarnings; w++) {
    const char *file;
    int line;
    flxc_unit_position(p->unit, p->warnings[w].line, &file, &line);
    fprintf(out, "%s:%d:%d: warning: %s\n", file, line, p->warnings[w].col,
            p->warnings[w].message);
  }
}

/* ---- Graphviz ------------------------------------------------------------ */

void flxc_emit_dot(const flxc_pipeline_t *p, FILE *out) {
  static const char *const colors[] = {"#8dd3c7", "#ffffb3", "#bebada", "#fb8072",
                                       "#80b1d3", "#fdb462", "#b3de69", "#fccde5"};
  fputs("digraph flx {\n  rankdir=LR;\n"
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
        "fillcolor=\"#ffffff\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n", out);
  for (size_t i = 0; i < p->n; i++) {
    const flxc_fluxion_t *f = p->fluxions[i];
    fprintf(out, "  \"%s\" [label=\"%s", f->name, f->name);
    if (f->group >= 0)
      fprintf(out, "\\n& %s", p->groups[f->group]);
    if (f->nctx) {
      fputs("\\n{", out);
      for (size_t c = 0; c < f->nctx; c++)
        fprintf(out, "%s%s", c ? ", " : "", f->ctx[c]->name);
      fputc('}', out);
    }
    fputc('"', out);
    if (f->group >= 0)
      fprintf(out, ", fillcolor=\"%s\"", colors[f->group % 8]);
    fputs("];\n", out);
  }
  flxc_stream_t *streams;
  size_t nstreams = flxc_streams(p, &streams);
  for (size_t k = 0; k < nstreams; k++) {
    const flxc_fluxion_t *d = streams[k].to;
    fprintf(out, "  \"%s\" -> \"%s\" [", streams[k].from->name, d->name);
    if (d->kind == FLXL_START)
      fputs("color=\"black:invis:black\", ", out);   /* a start stream: double */
    fputs("label=\"", out);
    for (size_t m = 0; streams[k].primary && m < d->nmsg; m++)
      fprintf(out, "%s%s", m ? ", " : "", d->msg[m]->name);
    fputs("\"];\n", out);
  }
  free(streams);
  fputs("}\n", out);
}
