/* alias.c — variables changed through another name. `const u =
 * users.find(...); u.visits++` changes users, and so does `req.user =
 * users.find(...)` in one callback with `req.user.visits++` in another: the
 * object is the same. Each such write is recorded on the variable it changes
 * (flxc_binding_t.alias_writes), so that it counts as state, and the code
 * that writes joins its group. Conservative: a value taken from a variable
 * (a member, an element, what find/filter/get/at return) may be one of its
 * objects, and so may what a function of the program returns (findTodo(id)
 * returning todos.find(...)). Run by flxc_scope_analyze once every reference
 * is known. */
#include "internal.h"

/* Where a value may come from: a variable's object, or what was put in a
 * property of some function's parameter (req.user), named by the property. */
typedef struct {
  flxc_binding_t *binding;
  char *property;
} source_t;

/* name = value: name (a variable, or a parameter's property) may hold an
 * object of source. */
typedef struct {
  flxc_binding_t *holder;
  char *holder_property;
  source_t from;
} alias_t;

typedef struct {
  const flxc_scopes_t *s;
  alias_t *aliases;
  size_t n;
  int calls;   /* helpers being looked into, one inside another */
} aliaser_t;

static bool one_of(const char *m, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], m) == 0)
      return true;
  return false;
}

/* Methods that return one of their object's elements (or some, shared). */
static const char *const element_methods[] = {"find", "findLast", "filter", "get", "at",
                                              NULL};
/* Methods that call back with each element first. */
static const char *const iteration_methods[] = {"forEach", "map", "filter", "find",
                                                "findIndex", "findLast", "some", "every",
                                                NULL};

static flxc_binding_t *binding_at(const aliaser_t *x, TSNode id) {
  const flxc_ref_t *r = flxc_scope_ref_at(x->s, id);
  return r ? r->binding : NULL;
}

/* The root identifier of a member chain (a in a.b[c].d) and, in *first, the
 * property right after it when it is a name (b); depth: the links above it. */
static TSNode chain_root(const aliaser_t *x, TSNode n, char **first, int *depth) {
  TSNode prop = {0};
  *depth = 0;
  while (is(n, "member_expression") || is(n, "subscript_expression") ||
         is(n, "parenthesized_expression")) {
    if (is(n, "parenthesized_expression")) {
      n = ts_node_named_child(n, 0);
      continue;
    }
    prop = is(n, "member_expression") ? field(n, "property") : (TSNode){0};
    n = field(n, "object");
    (*depth)++;
  }
  *first = ts_node_is_null(prop) ? NULL : flxc_node_text(x->s->unit, prop);
  return is(n, "identifier") ? n : (TSNode){0};
}

static void add(aliaser_t *x, flxc_binding_t *holder, const char *holder_property,
                source_t from) {
  alias_t a = {holder, holder_property ? strdup(holder_property) : NULL,
               {from.binding, from.property ? strdup(from.property) : NULL}};
  PUSH(x->aliases, x->n, a);
}

static void sources(aliaser_t *x, TSNode v, flxc_binding_t *holder, const char *holder_property);

/* What n's returns give back (those of n's own function, not of one nested
 * in it), as sources of holder. */
static void returned(aliaser_t *x, TSNode n, flxc_binding_t *holder, const char *holder_property) {
  if (is(n, "return_statement")) {
    if (ts_node_named_child_count(n) > 0)
      sources(x, ts_node_named_child(n, 0), holder, holder_property);
    return;
  }
  if (is_function(n) || is(n, "class_declaration") || is(n, "class"))
    return;
  for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
    returned(x, ts_node_named_child(n, i), holder, holder_property);
}

/* The sources value may hold an object of, each added as held by holder. */
static void sources(aliaser_t *x, TSNode v, flxc_binding_t *holder, const char *holder_property) {
  if (is(v, "parenthesized_expression") || is(v, "await_expression")) {
    sources(x, ts_node_named_child(v, 0), holder, holder_property);
  } else if (is(v, "ternary_expression")) {
    sources(x, field(v, "consequence"), holder, holder_property);
    sources(x, field(v, "alternative"), holder, holder_property);
  } else if (is(v, "binary_expression")) {   /* a || b, a ?? b */
    sources(x, field(v, "left"), holder, holder_property);
    sources(x, field(v, "right"), holder, holder_property);
  } else if (is(v, "call_expression")) {
    TSNode f = field(v, "function");
    flxc_binding_t *callee = is(f, "identifier") ? binding_at(x, f) : NULL;
    TSNode fn = callee ? flxc_binding_function(callee) : (TSNode){0};
    if (!ts_node_is_null(fn) && x->calls < 8) {   /* findTodo(id): what it returns */
      TSNode body = field(fn, "body");
      x->calls++;
      if (is(body, "statement_block"))
        returned(x, body, holder, holder_property);
      else
        sources(x, body, holder, holder_property);   /* (id) => todos.find(...) */
      x->calls--;
      return;
    }
    if (!is(f, "member_expression"))
      return;
    char *m = flxc_node_text(x->s->unit, field(f, "property"));
    if (one_of(m, element_methods))
      sources(x, field(f, "object"), holder, holder_property);
    free(m);
  } else if (is(v, "identifier") || is(v, "member_expression") ||
             is(v, "subscript_expression")) {
    char *first;
    int depth;
    TSNode root = chain_root(x, v, &first, &depth);
    flxc_binding_t *b = ts_node_is_null(root) ? NULL : binding_at(x, root);
    if (ts_node_is_null(root)) {   /* list.filter(...)[0]: from what the call returns */
      while (is(v, "member_expression") || is(v, "subscript_expression") ||
             is(v, "parenthesized_expression"))
        v = is(v, "parenthesized_expression") ? ts_node_named_child(v, 0) : field(v, "object");
      if (is(v, "call_expression"))
        sources(x, v, holder, holder_property);
    } else if (b && b->kind == FLXC_PARAM && first)
      add(x, holder, holder_property, (source_t){NULL, first});
    else if (b && b->kind != FLXC_PARAM && b != holder)
      add(x, holder, holder_property, (source_t){b, NULL});
    free(first);
  }
}

/* list.forEach(t => ...): t holds list's elements. */
static void iteration_params(aliaser_t *x) {
  for (size_t i = 0; i < x->s->nscopes; i++) {
    const flxc_scope_t *sc = x->s->scopes[i];
    if (sc->kind != FLXC_SCOPE_FUNCTION)
      continue;
    TSNode args = ts_node_parent(sc->node);
    if (!is(args, "arguments") || !ts_node_eq(ts_node_named_child(args, 0), sc->node))
      continue;
    TSNode call = ts_node_parent(args);
    TSNode f = field(call, "function"), first = field(sc->node, "parameter");
    if (ts_node_is_null(first))
      first = ts_node_named_child(field(sc->node, "parameters"), 0);
    if (!is(f, "member_expression") || !is(first, "identifier"))
      continue;
    flxc_binding_t *param = NULL;
    for (size_t k = 0; k < sc->nbindings && !param; k++)
      if (ts_node_eq(sc->bindings[k]->node, first))
        param = sc->bindings[k];
    char *m = flxc_node_text(x->s->unit, field(f, "property"));
    if (param && one_of(m, iteration_methods))
      sources(x, field(f, "object"), param, NULL);
    free(m);
  }
}

/* The aliases: declarations and assignments of a variable (for-of's too),
 * assignments of a parameter's property (req.user = ...), and iteration
 * callbacks' parameters. */
static void collect(aliaser_t *x) {
  iteration_params(x);
  for (size_t i = 0; i < x->s->nrefs; i++) {
    const flxc_ref_t *r = x->s->refs[i];
    if (r->binding == NULL || !(r->access & FLXC_WRITE))
      continue;
    TSNode up = ts_node_parent(r->node);
    if (!r->member) {
      if (is(up, "variable_declarator") && ts_node_eq(field(up, "name"), r->node))
        sources(x, field(up, "value"), r->binding, NULL);
      else if (is(up, "assignment_expression") && ts_node_eq(field(up, "left"), r->node))
        sources(x, field(up, "right"), r->binding, NULL);
      else if (is(up, "for_in_statement") && ts_node_eq(field(up, "left"), r->node))
        sources(x, field(up, "right"), r->binding, NULL);   /* for (const t of list) */
    } else if (r->binding->kind == FLXC_PARAM && is(up, "member_expression") &&
               ts_node_eq(field(up, "object"), r->node)) {
      TSNode assign = ts_node_parent(up);
      if (is(assign, "assignment_expression") && ts_node_eq(field(assign, "left"), up)) {
        char *p = flxc_node_text(x->s->unit, field(up, "property"));
        sources(x, field(assign, "right"), NULL, p);
        free(p);
      }
    }
  }
}

static bool same_holder(const alias_t *a, const flxc_binding_t *b, const char *property) {
  return property ? a->holder_property && strcmp(a->holder_property, property) == 0
                  : a->holder == b;
}

/* A write at `at` through what holder (a variable, or a parameter's
 * property) holds: a write of every variable it may hold objects of. */
static void written_through(aliaser_t *x, const flxc_binding_t *holder, const char *property,
                            TSNode at, int depth) {
  if (depth > 8)
    return;   /* a = b; b = a: a cycle of holders, each marked on the way round */
  for (size_t i = 0; i < x->n; i++) {
    const alias_t *a = &x->aliases[i];
    if (!same_holder(a, holder, property))
      continue;
    flxc_binding_t *b = a->from.binding;
    if (b) {
      bool known = false;
      for (size_t k = 0; k < b->nalias_writes && !known; k++)
        known = ts_node_eq(b->alias_writes[k], at);
      if (!known)
        PUSH(b->alias_writes, b->nalias_writes, at);
    }
    written_through(x, b, a->from.property, at, depth + 1);
  }
}

/* The call a member chain starts from (f(x) in f(x).a[i]), or null. */
static TSNode chain_call(TSNode n) {
  while (is(n, "member_expression") || is(n, "subscript_expression") ||
         is(n, "parenthesized_expression"))
    n = is(n, "parenthesized_expression") ? ts_node_named_child(n, 0) : field(n, "object");
  return is(n, "call_expression") ? n : (TSNode){0};
}

/* A write at `at` through what call returns, which no variable names. */
static void written_through_call(aliaser_t *x, TSNode call, TSNode at) {
  if (ts_node_is_null(call))
    return;
  flxc_binding_t value = {0};   /* stands for what the call returns */
  size_t before = x->n;
  sources(x, call, &value, NULL);
  written_through(x, &value, NULL, at, 0);
  for (; x->n > before; x->n--) {
    free(x->aliases[x->n - 1].holder_property);
    free(x->aliases[x->n - 1].from.property);
  }
}

/* findTodo(id).done = true, list.find(...).n++, find(id).tags.push(t),
 * Object.assign(find(id), patch): scope.c sees no variable written there
 * (the chain starts from a call); what the call may return is. */
static void call_result_writes(aliaser_t *x, TSNode n) {
  TSNode target = {0};
  if (is(n, "assignment_expression") || is(n, "augmented_assignment_expression"))
    target = field(n, "left");
  else if (is(n, "update_expression"))
    target = field(n, "argument");
  else if (is(n, "unary_expression") && is(ts_node_child(n, 0), "delete"))
    target = field(n, "argument");
  else if (is(n, "call_expression") && is(field(n, "function"), "member_expression")) {
    TSNode f = field(n, "function");
    char *m = flxc_node_text(x->s->unit, field(f, "property"));
    char *o = flxc_node_text(x->s->unit, field(f, "object"));
    if (flxc_writes_first_argument(o, m))
      target = ts_node_named_child(field(n, "arguments"), 0);
    else if (!flxc_pure_method(m))
      written_through_call(x, chain_call(field(f, "object")), n);
    free(m);
    free(o);
  }
  if (is(target, "member_expression") || is(target, "subscript_expression"))
    written_through_call(x, chain_call(target), n);
  else if (is(target, "call_expression"))   /* Object.assign(find(id), ...) */
    written_through_call(x, target, n);
  for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
    call_result_writes(x, ts_node_named_child(n, i));
}

void flxc_alias_analyze(const flxc_scopes_t *s) {
  aliaser_t x = {.s = s};
  collect(&x);
  call_result_writes(&x, ts_tree_root_node(s->unit->tree));
  for (size_t i = 0; x.n && i < s->nrefs; i++) {
    const flxc_ref_t *r = s->refs[i];
    if (r->binding == NULL || !r->member || !(r->access & FLXC_WRITE) || r->init)
      continue;
    written_through(&x, r->binding, NULL, r->node, 0);   /* u.n++, t.done = true */
    if (r->binding->kind != FLXC_PARAM)
      continue;
    /* req.user.visits++: through what req.user holds (req.user = x is not) */
    TSNode top = r->node;
    while (is(ts_node_parent(top), "member_expression") ||
           is(ts_node_parent(top), "subscript_expression"))
      top = ts_node_parent(top);
    char *first;
    int depth;
    chain_root(&x, top, &first, &depth);
    if (first && depth >= 2)   /* req.user.visits++, req.cart.push(x) */
      written_through(&x, NULL, first, r->node, 0);
    free(first);
  }
  for (size_t i = 0; i < x.n; i++) {
    free(x.aliases[i].holder_property);
    free(x.aliases[i].from.property);
  }
  free(x.aliases);
}
