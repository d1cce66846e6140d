/* section.c — state sections: an Express handler in a group sends its group
 * only the statements that touch the group's state (docs/compiler.md).
 *
 * The handler leaves the group and runs where its request is. Its statements
 * from the first that touches the state to the last become a fluxion of the
 * group, NAME_state, given the handler's variables they read (its inputs);
 * the statements after them stay with the handler as a function that the
 * group calls back with the variables of the section they read (its
 * outputs). So the request and the response never cross: only the inputs
 * and outputs do, copied. A section is made only where that is the same
 * program: where the checks below cannot tell, the handler stays whole. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sectioner_s {
  const flxc_pipeline_t *p;
  const flxc_scopes_t *s;
  const flxc_fluxion_t *f;  /* the handler */
  flxc_scope_t *fs;         /* its function's scope */
  uint32_t from, to;        /* the section: bytes of its statements */
  flxc_binding_t **ins, **outs;
  size_t nins, nouts;
  flxc_binding_t *req;      /* the handler's first parameter */
  TSNode *exits;            /* the handler's returns in the section */
  size_t nexits;
  unsigned parts;           /* of it, given: bits of flxc_request_parts */
  TSNode *reads;            /* reads of the state after it (state_reads) */
  size_t nreads;
} sectioner_t;

static bool has(flxc_binding_t *const *list, size_t n, const flxc_binding_t *b) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == b)
      return true;
  return false;
}

static bool within(TSNode n, uint32_t from, uint32_t to) {
  return ts_node_start_byte(n) >= from && ts_node_end_byte(n) <= to;
}

/* Whether binding b is, for handler f, its group's: a context variable, a
 * helper declared in the group, or another file of the application (whose
 * helpers are not followed name by name: see collect_touches). */
static bool group_thing(const flxc_pipeline_t *p, const flxc_fluxion_t *f,
                        const flxc_binding_t *b) {
  if (has(f->ctx, f->nctx, b) || flxc_linked_module(p->unit, b) >= 0)
    return true;
  for (size_t i = 0; i < p->ngroup_code; i++)
    if (p->group_code[i].helper == b && p->group_code[i].group == f->group)
      return true;
  return false;
}

/* Whether statement st of handler f touches its group's state, in f's own
 * code (not in a callback, which is a fluxion of its own). */
static bool touches(const flxc_pipeline_t *p, const flxc_fluxion_t *f, TSNode st) {
  const flxc_scopes_t *s = p->scopes;
  uint32_t from = ts_node_start_byte(st), to = ts_node_end_byte(st);
  for (size_t i = flxc_scope_first_ref(s, from); i < s->nrefs; i++) {
    const flxc_ref_t *r = s->by_start[i];
    if (ts_node_start_byte(r->node) >= to)
      break;
    if (r->binding && group_thing(p, f, r->binding) && flxc_owner_of(p, r->node) == f)
      return true;
  }
  for (size_t c = 0; c < f->nctx; c++)   /* u = users.find(...) earlier; here u.n++ */
    for (size_t k = 0; k < f->ctx[c]->nalias_writes; k++)
      if (within(f->ctx[c]->alias_writes[k], from, to) &&
          flxc_owner_of(p, f->ctx[c]->alias_writes[k]) == f)
        return true;
  return false;
}

/* ---- reads of the state after the section -------------------------------- */

/* `hits.a += 1; res.json({ n: hits.a })`: the answer reads the state right
 * after the section, in the same turn, with nothing in between that can
 * change it. Such a read is taken at the section's end, in the group, and
 * given back with the outputs; the handler reads that value instead. Only
 * where that cannot be told apart: the variable itself or one property of a
 * variable that always holds the object literal it was declared with (so
 * the read neither throws nor runs code), used at once by a callee that
 * neither keeps nor changes it (res.json, String, ...), maybe inside an
 * object or array literal, a template or an arithmetic, in a statement of
 * the handler's own, unconditionally. */

/* Whether b always holds the object or array literal it was declared with,
 * which has no getter. */
static bool fixed_object(const flxc_binding_t *b) {
  TSNode v = is(b->decl, "variable_declarator") ? field(b->decl, "value") : (TSNode){0};
  if (!(is(v, "object") || is(v, "array")) || flxc_binding_changed(b, false))
    return false;
  for (uint32_t i = 0; i < ts_node_named_child_count(v); i++)
    if (is(ts_node_named_child(v, i), "method_definition"))
      return false;   /* get a() {...} runs code */
  return true;
}

static bool logical(const flxc_unit_t *u, TSNode binary) {
  char *op = flxc_node_text(u, field(binary, "operator"));
  bool yes = strcmp(op, "&&") == 0 || strcmp(op, "||") == 0 || strcmp(op, "??") == 0;
  free(op);
  return yes;
}

/* Whether e's value is used at once, unconditionally, in statement st. */
static bool used_at_once(const flxc_pipeline_t *p, TSNode e, TSNode st) {
  if (!is(st, "expression_statement") && !is(st, "return_statement"))
    return false;
  bool consumed = false;
  for (TSNode n = e, up = ts_node_parent(e); !ts_node_eq(n, st);
       n = up, up = ts_node_parent(up)) {
    if (is(up, "arguments") && !consumed) {
      TSNode call = ts_node_parent(up);
      char *callee = is(call, "call_expression") ? flxc_node_text(p->unit, field(call, "function"))
                                                 : NULL;
      consumed = callee && flxc_harmless_callee(callee);
      free(callee);
      if (!consumed)
        return false;
    } else if (is(up, "pair")) {
      if (!consumed && !ts_node_eq(field(up, "value"), n))
        return false;
    } else if (!(is(up, "parenthesized_expression") || is(up, "template_substitution") ||
                 is(up, "template_string") || is(up, "object") || is(up, "array") ||
                 is(up, "arguments") ||
                 (is(up, "binary_expression") && !logical(p->unit, up)) ||
                 (is(up, "unary_expression") && !is(ts_node_child(up, 0), "delete")) ||
                 (consumed && (is(up, "call_expression") || is(up, "member_expression") ||
                               ts_node_eq(up, st))))) {
      return false;
    }
  }
  return consumed;
}

/* The reads of the state in statement st, after the section, if every way
 * st touches the state is such a read (appended to x->reads); else false. */
static bool state_reads(sectioner_t *x, TSNode st, bool collect) {
  const flxc_pipeline_t *p = x->p;
  const flxc_fluxion_t *f = x->f;
  const flxc_scopes_t *s = x->s;
  uint32_t from = ts_node_start_byte(st), to = ts_node_end_byte(st);
  for (size_t c = 0; c < f->nctx; c++)
    for (size_t k = 0; k < f->ctx[c]->nalias_writes; k++)
      if (within(f->ctx[c]->alias_writes[k], from, to))
        return false;
  for (size_t i = flxc_scope_first_ref(s, from); i < s->nrefs; i++) {
    const flxc_ref_t *r = s->by_start[i];
    if (ts_node_start_byte(r->node) >= to)
      break;
    if (!r->binding || !group_thing(p, f, r->binding) || flxc_owner_of(p, r->node) != f)
      continue;
    if (!has(f->ctx, f->nctx, r->binding) || r->access != FLXC_READ)
      return false;   /* a helper, another file, a write */
    TSNode e = r->node, up = ts_node_parent(e);
    if (is(up, "member_expression") && ts_node_eq(field(up, "object"), e) &&
        is(field(up, "property"), "property_identifier")) {
      if (!fixed_object(r->binding))
        return false;
      e = up;
    }
    if (!used_at_once(p, e, st))
      return false;
    if (collect)
      PUSH(x->reads, x->nreads, e);
  }
  return true;
}

/* Whether the section's code can run as a function of its own in the group:
 * no this, arguments, super, new.target (arrows inside it share them), no
 * hoisted declaration at its top. The handler's returns in it are its exits
 * (collected): the group gives back which one it took, and the return runs
 * where the handler is (exit_ok). */
static bool movable(sectioner_t *x, TSNode n, bool top, bool in_arrow) {
  if (is(n, "function_expression") || is(n, "function_declaration") ||
      is(n, "generator_function") || is(n, "generator_function_declaration") ||
      is(n, "class_body"))
    return !(top && is(n, "function_declaration"));
  if (is(n, "class_declaration") && top)
    return false;
  if (is(n, "this") || is(n, "super") || is(n, "meta_property"))
    return false;
  if (is(n, "return_statement") && !in_arrow)
    PUSH(x->exits, x->nexits, n);
  if (is(n, "identifier")) {
    uint32_t len = ts_node_end_byte(n) - ts_node_start_byte(n);
    return !(len == 9 && memcmp(x->p->unit->src + ts_node_start_byte(n), "arguments", 9) == 0);
  }
  bool arrow = in_arrow || is(n, "arrow_function");
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    if (!movable(x, ts_node_named_child(n, i), false, arrow))
      return false;
  return true;
}

/* Whether byte at is in an exit (a return of the handler). */
static bool in_exit(const sectioner_t *x, uint32_t at) {
  for (size_t i = 0; i < x->nexits; i++)
    if (at >= ts_node_start_byte(x->exits[i]) && at < ts_node_end_byte(x->exits[i]))
      return true;
  return false;
}

/* An exit runs where the handler is, after the section: what it returns
 * must touch no state, and use only what is there then: the handler's
 * parameters and variables, the program's, and the section's variables
 * declared at its top level (given back, as outputs). */
static bool exit_ok(sectioner_t *x, TSNode ret) {
  const flxc_scopes_t *s = x->s;
  uint32_t from = ts_node_start_byte(ret), to = ts_node_end_byte(ret);
  flxc_scope_t *top = flxc_scope_of(s, field(x->f->fn, "body"));
  if (touches(x->p, x->f, ret))
    return false;
  for (size_t i = flxc_scope_first_ref(s, from); i < s->nrefs; i++) {
    const flxc_ref_t *r = s->by_start[i];
    if (ts_node_start_byte(r->node) >= to)
      break;
    flxc_binding_t *b = r->binding;
    uint32_t at = b ? ts_node_start_byte(b->node) : 0;
    if (b == NULL || b->scope->kind == FLXC_SCOPE_PROGRAM || (at >= from && at < to))
      continue;
    if (b->scope->fn != x->fs || at >= x->to)
      return false;
    if (at < x->from || b->kind == FLXC_PARAM)
      continue;
    if (b->scope != x->fs && b->scope != top)
      return false;   /* a block's own variable */
    if (!has(x->outs, x->nouts, b))
      PUSH(x->outs, x->nouts, b);
  }
  return true;
}

/* A function of the program, replicated (it touches no state, so it keeps
 * nothing), that does not change its parameter `at`. */
static bool replicated_reader(const flxc_pipeline_t *p, TSNode callee, uint32_t at) {
  const flxc_ref_t *c = is(callee, "identifier") ? flxc_scope_ref_at(p->scopes, callee) : NULL;
  const flxc_binding_t *b = c ? c->binding : NULL;
  bool replicated = false;
  for (size_t i = 0; b && i < p->nreplicated; i++)
    replicated = replicated || p->replicated[i] == b;
  if (!replicated)
    return false;
  TSNode fn = flxc_binding_function(b);
  flxc_scope_t *fs = ts_node_is_null(fn) ? NULL : flxc_scope_of(p->scopes, fn);
  TSNode param = ts_node_named_child(field(fn, "parameters"), at);
  if (fs == NULL || fs->uses_arguments || !is(param, "identifier"))
    return false;
  char *name = flxc_node_text(p->unit, param);
  const flxc_binding_t *pb = flxc_scope_lookup(fs, name);
  free(name);
  for (size_t i = 0; pb && i < pb->nrefs; i++)
    if (pb->refs[i]->access & FLXC_WRITE)
      return false;
  return pb != NULL;
}

/* Whether value (a variable, or a part of the request) used where it is
 * reads it only: not called, not given to a callee that might change or
 * keep it (res.json(x), String(x), the sources of Object.assign and a
 * replicated function that only reads that parameter do neither), not the
 * object of a method that changes it. Changes through it (x.n = 1) are the
 * reference's own access. */
static bool reads_only(const flxc_pipeline_t *p, TSNode value) {
  TSNode up = ts_node_parent(value);
  if (is(up, "member_expression") && ts_node_eq(field(up, "object"), value)) {
    TSNode call = ts_node_parent(up);
    if (!is(call, "call_expression") || !ts_node_eq(field(call, "function"), up))
      return true;
    char *m = flxc_node_text(p->unit, field(up, "property"));
    bool pure = flxc_pure_method(m);
    free(m);
    return pure;
  }
  if ((is(up, "call_expression") || is(up, "new_expression")) &&
      ts_node_eq(field(up, is(up, "call_expression") ? "function" : "constructor"), value))
    return false;
  if (!is(up, "arguments"))
    return true;
  TSNode call = ts_node_parent(up);
  TSNode fn = field(call, is(call, "new_expression") ? "constructor" : "function");
  uint32_t at = 0, n = ts_node_named_child_count(up);
  while (at < n && !ts_node_eq(ts_node_named_child(up, at), value))
    at++;
  char *callee = flxc_node_text(p->unit, fn);
  bool harmless = flxc_harmless_callee(callee) ||
                  (at > 0 && strcmp(callee, "Object.assign") == 0);
  free(callee);
  return harmless || (at < n && replicated_reader(p, fn, at));
}

/* A reference that reads a copy's value only (see reads_only). */
static bool ref_reads_only(const flxc_pipeline_t *p, const flxc_ref_t *r) {
  return !((r->access & FLXC_WRITE) && r->member) && reads_only(p, r->node);
}

const char *const flxc_request_parts[] = {
    "params", "query", "body", "cookies", "signedCookies", "headers", "ip", "path",
    "method", "url", "originalUrl", "baseUrl", "hostname", "protocol", "secure", "xhr", NULL};

/* `req.body` in the section, read only: the part (its index), or -1. */
static int request_part(const flxc_pipeline_t *p, const flxc_ref_t *r) {
  TSNode m = ts_node_parent(r->node);
  if ((r->access & FLXC_WRITE) || !is(m, "member_expression") ||
      !ts_node_eq(field(m, "object"), r->node) || !reads_only(p, m))
    return -1;
  char *name = flxc_node_text(p->unit, field(m, "property"));
  int part = -1;
  for (int i = 0; flxc_request_parts[i] && part < 0; i++)
    if (strcmp(name, flxc_request_parts[i]) == 0)
      part = i;
  free(name);
  return part;
}

/* A variable holding a function or a class cannot cross. */
static bool holds_code(const flxc_binding_t *b) {
  if (b->kind == FLXC_FUNCTION || b->kind == FLXC_CLASS)
    return true;
  TSNode v = is(b->decl, "variable_declarator") ? field(b->decl, "value") : (TSNode){0};
  return is_function(v) || is(v, "class");
}

/* Whether the handler's code after the section only reads b. */
static bool read_after(const sectioner_t *x, const flxc_binding_t *b) {
  for (size_t k = 0; k < b->nrefs; k++) {
    const flxc_ref_t *r = b->refs[k];
    if (ts_node_start_byte(r->node) >= x->to && flxc_owner_of(x->p, r->node) == x->f &&
        !ref_reads_only(x->p, r))
      return false;
  }
  return true;
}

/* Sorts every reference in the section: a variable of the handler declared
 * before it is an input; one declared in it and read after it, an output.
 * False where the section cannot be cut out: it uses the handler's
 * parameters (the request, the response, next), a variable of a function
 * around the handler, or one declared after it; an input it changes, calls or
 * gives away; an output used otherwise than read, or declared before (var). */
static bool sort_refs(sectioner_t *x) {
  const flxc_scopes_t *s = x->s;
  for (size_t i = flxc_scope_first_ref(s, x->from); i < s->nrefs; i++) {
    const flxc_ref_t *r = s->by_start[i];
    if (ts_node_start_byte(r->node) >= x->to)
      break;
    flxc_binding_t *b = r->binding;
    if (b == NULL || b->scope->kind == FLXC_SCOPE_PROGRAM ||
        in_exit(x, ts_node_start_byte(r->node)))
      continue;   /* a global, the state, a helper, a replicated value; an exit's */
    if (b == x->req) {   /* req.params.id: req.params, given */
      int part = request_part(x->p, r);
      if (part < 0)
        return false;
      x->parts |= 1u << part;
      continue;
    }
    uint32_t at = ts_node_start_byte(b->node);
    if (at >= x->from && at < x->to) {
      if (b->scope->fn == x->fs && !has(x->outs, x->nouts, b))
        PUSH(x->outs, x->nouts, b);   /* maybe: if read after */
      continue;
    }
    if (b->scope->fn != x->fs || b->kind == FLXC_PARAM || at >= x->to || holds_code(b) ||
        (r->access & FLXC_WRITE) || !ref_reads_only(x->p, r))
      return false;
    if (!has(x->ins, x->nins, b))
      PUSH(x->ins, x->nins, b);
  }
  /* Outputs: those read after the section or by an exit; what reads them
   * is given copies. */
  size_t kept = 0;
  for (size_t o = 0; o < x->nouts; o++) {
    flxc_binding_t *b = x->outs[o];
    bool after = false;
    for (size_t k = 0; k < b->nrefs; k++) {
      const flxc_ref_t *r = b->refs[k];
      uint32_t at = ts_node_start_byte(r->node);
      if (at >= x->from && at < x->to && !in_exit(x, at))
        continue;   /* the section's own */
      if (at < x->from || holds_code(b) ||
          (flxc_owner_of(x->p, r->node) == x->f && !ref_reads_only(x->p, r)))
        return false;
      after = true;
    }
    if (after)
      x->outs[kept++] = b;
  }
  x->nouts = kept;
  /* Inputs (the request too, when parts of it are): the handler's object and
   * the group's copy must not part ways. */
  for (size_t i = 0; i < x->nins; i++)
    if (!read_after(x, x->ins[i]))
      return false;
  return !x->parts || read_after(x, x->req);
}

/* The handler's shape: a plain function of (req, res) or (req, res, next)
 * whose body is a block, in a group for state it names. */
static bool handler_shape(const flxc_fluxion_t *f) {
  if (!f->route || f->to || f->group < 0 || f->unnamed || is_async(f->fn) ||
      !(is(f->fn, "function_expression") || is(f->fn, "function_declaration") ||
        is(f->fn, "arrow_function")))
    return false;
  TSNode params = field(f->fn, "parameters");
  uint32_t n = ts_node_named_child_count(params);
  if (!is(params, "formal_parameters") || n < 2 || n > 3 ||
      !is(field(f->fn, "body"), "statement_block"))
    return false;
  for (uint32_t i = 0; i < n; i++)
    if (!is(ts_node_named_child(params, i), "identifier"))
      return false;
  for (size_t c = 0; c < f->nctx; c++)
    if (f->ctx[c]->scope->kind != FLXC_SCOPE_PROGRAM)
      return false;   /* a chain's variable the group holds */
  return true;
}

/* No callback is registered or written in the section: each would be a
 * fluxion fed from it, by the stream from the handler. */
static bool no_callbacks(const flxc_pipeline_t *p, uint32_t from, uint32_t to) {
  for (size_t i = 1; i < p->n; i++) {
    const flxc_fluxion_t *c = p->fluxions[i];
    if (!c->to && within(c->fn, from, to))
      return false;
    for (size_t k = 0; k < c->nsites; k++)
      if (within(c->sites[k], from, to))
        return false;
  }
  return true;
}

flxc_fluxion_t *flxc_section_of(const flxc_pipeline_t *p, flxc_fluxion_t *f) {
  if (!handler_shape(f))
    return NULL;
  TSNode body = field(f->fn, "body");
  uint32_t k = ts_node_named_child_count(body);
  sectioner_t x = {.p = p, .s = p->scopes, .f = f, .fs = flxc_scope_of(p->scopes, f->fn)};
  int first = -1, last = -1;   /* last: the last statement not read from after */
  for (uint32_t i = 0; i < k; i++)
    if (touches(p, f, ts_node_named_child(body, i))) {
      if (first < 0)
        first = (int)i;
      if (!state_reads(&x, ts_node_named_child(body, i), false))
        last = (int)i;
    }
  if (first < 0 || last < first)
    return NULL;
  x.from = ts_node_start_byte(ts_node_named_child(body, (uint32_t)first));
  x.to = ts_node_end_byte(ts_node_named_child(body, (uint32_t)last));
  for (uint32_t i = (uint32_t)last + 1; i < k; i++)
    state_reads(&x, ts_node_named_child(body, i), true);
  char *req = flxc_node_text(p->unit, ts_node_named_child(field(f->fn, "parameters"), 0));
  x.req = x.fs ? flxc_scope_lookup(x.fs, req) : NULL;
  free(req);
  bool ok = x.fs && no_callbacks(p, x.from, x.to);
  for (int i = first; ok && i <= last; i++)
    ok = movable(&x, ts_node_named_child(body, (uint32_t)i), true, false);
  for (size_t i = 0; ok && i < x.nexits; i++)
    ok = exit_ok(&x, x.exits[i]);
  ok = ok && sort_refs(&x);
  if (!ok) {
    free(x.ins);
    free(x.outs);
    free(x.exits);
    free(x.reads);
    return NULL;
  }
  flxc_fluxion_t *c = calloc(1, sizeof *c);
  if (c == NULL)
    abort();
  c->fn = f->fn;
  c->from = x.from;
  c->to = x.to;
  c->section = true;
  c->parent = f;
  c->kind = FLXL_POST;
  c->group = f->group;
  c->ctx = f->ctx;
  c->nctx = f->nctx;
  c->ins = x.ins;
  c->nins = x.nins;
  c->outs = x.outs;
  c->nouts = x.nouts;
  c->parts = x.parts;
  c->req = x.req;
  c->exits = x.exits;
  c->nexits = x.nexits;
  c->reads = x.reads;
  c->nreads = x.nreads;
  TSPoint pt = ts_node_start_point(ts_node_named_child(body, (uint32_t)first));
  c->line = (int)pt.row + 1;
  c->col = (int)pt.column + 1;
  size_t n = strlen(f->name) + sizeof "_state";
  c->name = malloc(n);
  snprintf(c->name, n, "%s_state", f->name);
  f->ctx = NULL;
  f->nctx = 0;
  f->group = -1;
  return c;
}
