/* scope.c — scope analysis, as escope does it for the seed's compiler: every
 * binding (var hoisted to its function, let/const/class to their block,
 * function declarations hoisted, parameters, catch parameters, destructured
 * names, imports) and every reference resolved to its binding or to a global,
 * marked read, write or read-write. A write through a variable's object (a
 * member assignment, `delete`, a method not known to be pure) is a write of
 * the variable. Each function scope learns its free variables. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct analyzer_s {
  const flxc_unit_t *u;
  flxc_scopes_t *out;
} analyzer_t;

static void walk(analyzer_t *a, TSNode n, flxc_scope_t *sc);

/* ---- small helpers ---------------------------------------------------- */

static void *zalloc(size_t n) {
  void *p = calloc(1, n);
  if (p == NULL)
    abort();
  return p;
}

/* ---- scopes and bindings ---------------------------------------------- */

static flxc_scope_t *scope_new(analyzer_t *a, flxc_scope_kind_t kind, TSNode node,
                               flxc_scope_t *parent) {
  flxc_scope_t *sc = zalloc(sizeof *sc);
  sc->kind = kind;
  sc->node = node;
  sc->parent = parent;
  sc->fn = (kind == FLXC_SCOPE_FUNCTION || kind == FLXC_SCOPE_PROGRAM) ? sc : parent->fn;
  PUSH(a->out->scopes, a->out->nscopes, sc);
  return sc;
}

flxc_binding_t *flxc_scope_lookup(flxc_scope_t *sc, const char *name) {
  for (; sc; sc = sc->parent)
    for (size_t i = 0; i < sc->nbindings; i++)
      if (strcmp(sc->bindings[i]->name, name) == 0)
        return sc->bindings[i];
  return NULL;
}

static void declare(analyzer_t *a, flxc_scope_t *sc, TSNode id, flxc_binding_kind_t kind,
                    TSNode decl) {
  char *name = flxc_node_text(a->u, id);
  for (size_t i = 0; i < sc->nbindings; i++)
    if (strcmp(sc->bindings[i]->name, name) == 0) {   /* var a; var a; */
      free(name);
      return;
    }
  flxc_binding_t *b = zalloc(sizeof *b);
  b->name = name;
  b->kind = kind;
  b->scope = sc;
  b->node = id;
  b->decl = decl;
  PUSH(sc->bindings, sc->nbindings, b);
}

/* pattern -> identifier | object_pattern | array_pattern | assignment_pattern
 *          | rest_pattern */
static void declare_pattern(analyzer_t *a, flxc_scope_t *sc, TSNode p,
                            flxc_binding_kind_t kind, TSNode decl) {
  if (ts_node_is_null(p))
    return;
  if (is(p, "identifier") || is(p, "shorthand_property_identifier_pattern")) {
    declare(a, sc, p, kind, decl);
  } else if (is(p, "pair_pattern")) {
    declare_pattern(a, sc, field(p, "value"), kind, decl);
  } else if (is(p, "assignment_pattern") || is(p, "object_assignment_pattern")) {
    declare_pattern(a, sc, field(p, "left"), kind, decl);
  } else if (is(p, "object_pattern") || is(p, "array_pattern") || is(p, "rest_pattern")) {
    uint32_t k = ts_node_named_child_count(p);
    for (uint32_t i = 0; i < k; i++)
      declare_pattern(a, sc, ts_node_named_child(p, i), kind, decl);
  }
}

/* var declarations anywhere in a function body, not in nested functions. */
static void hoist_vars(analyzer_t *a, flxc_scope_t *fn, TSNode n) {
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(n, i);
    if (is_function(c) || is(c, "class_body"))
      continue;
    if (is(c, "variable_declarator") && is(n, "variable_declaration"))
      declare_pattern(a, fn, field(c, "name"), FLXC_VAR, c);
    else if (is(c, "for_in_statement") && is(field(c, "kind"), "var"))
      declare_pattern(a, fn, field(c, "left"), FLXC_VAR, c);
    hoist_vars(a, fn, c);
  }
}

static flxc_binding_kind_t lexical_kind(analyzer_t *a, TSNode decl) {
  TSNode kind = field(decl, "kind");
  char *k = flxc_node_text(a->u, kind);
  flxc_binding_kind_t r = strcmp(k, "const") == 0 ? FLXC_CONST : FLXC_LET;
  free(k);
  return r;
}

/* let/const a = 1, {b} = c: every name, in sc. */
static void declare_lexical(analyzer_t *a, flxc_scope_t *sc, TSNode decl) {
  flxc_binding_kind_t kind = lexical_kind(a, decl);
  uint32_t m = ts_node_named_child_count(decl);
  for (uint32_t j = 0; j < m; j++) {
    TSNode d = ts_node_named_child(decl, j);
    if (is(d, "variable_declarator"))
      declare_pattern(a, sc, field(d, "name"), kind, d);
  }
}

static void hoist_import(analyzer_t *a, flxc_scope_t *sc, TSNode imp) {
  uint32_t k = ts_node_named_child_count(imp);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(imp, i);
    if (!is(c, "import_clause"))
      continue;
    uint32_t m = ts_node_named_child_count(c);
    for (uint32_t j = 0; j < m; j++) {
      TSNode d = ts_node_named_child(c, j);
      if (is(d, "identifier")) {
        declare(a, sc, d, FLXC_IMPORT, imp);            /* import x from */
      } else if (is(d, "namespace_import")) {
        declare(a, sc, ts_node_named_child(d, 0), FLXC_IMPORT, imp);
      } else if (is(d, "named_imports")) {
        uint32_t s = ts_node_named_child_count(d);
        for (uint32_t q = 0; q < s; q++) {
          TSNode spec = ts_node_named_child(d, q);
          TSNode alias = field(spec, "alias");
          if (is(spec, "import_specifier"))
            declare(a, sc, ts_node_is_null(alias) ? field(spec, "name") : alias,
                    FLXC_IMPORT, imp);
        }
      }
    }
  }
}

/* let, const, class and function declarations directly in a block. */
static void hoist_lexical(analyzer_t *a, flxc_scope_t *sc, TSNode block) {
  uint32_t k = ts_node_named_child_count(block);
  for (uint32_t i = 0; i < k; i++) {
    TSNode c = ts_node_named_child(block, i);
    if (is(c, "export_statement") && !ts_node_is_null(field(c, "declaration")))
      c = field(c, "declaration");
    if (is(c, "lexical_declaration")) {
      declare_lexical(a, sc, c);
    } else if (is(c, "function_declaration") || is(c, "generator_function_declaration")) {
      declare(a, sc, field(c, "name"), FLXC_FUNCTION, c);
    } else if (is(c, "class_declaration")) {
      declare(a, sc, field(c, "name"), FLXC_CLASS, c);
    } else if (is(c, "import_statement")) {
      hoist_import(a, sc, c);
    } else if (is(c, "switch_case") || is(c, "switch_default")) {
      hoist_lexical(a, sc, c);   /* a switch's cases share its block */
    }
  }
}

/* ---- references -------------------------------------------------------- */

static flxc_ref_t *reference(analyzer_t *a, flxc_scope_t *sc, TSNode id, unsigned access) {
  flxc_ref_t *r = zalloc(sizeof *r);
  r->name = flxc_node_text(a->u, id);
  r->node = id;
  r->scope = sc;
  r->access = access;
  r->binding = flxc_scope_lookup(sc, r->name);
  if (r->binding)
    PUSH(r->binding->refs, r->binding->nrefs, r);
  else if (strcmp(r->name, "arguments") == 0)
    sc->fn->uses_arguments = true;
  PUSH(a->out->refs, a->out->nrefs, r);
  return r;
}

/* Methods known not to change the object they are called on. */
bool flxc_pure_method(const char *m) {
  static const char *const pure[] = {
    "at", "charAt", "charCodeAt", "codePointAt", "concat", "endsWith", "entries",
    "every", "filter", "find", "findIndex", "findLast", "findLastIndex", "flat",
    "flatMap", "forEach", "get", "getTime", "has", "hasOwnProperty", "includes",
    "indexOf", "join", "keys", "lastIndexOf", "localeCompare", "map", "match",
    "matchAll", "normalize", "padEnd", "padStart", "reduce", "reduceRight", "repeat",
    "replace", "replaceAll", "search", "slice", "some", "split", "startsWith",
    "substr", "substring", "test", "toFixed", "toISOString", "toJSON",
    "toLocaleString", "toLowerCase", "toPrecision", "toString", "toUpperCase", "trim",
    "trimEnd", "trimStart", "valueOf", "stringify", "parse", "isArray", "abs", "ceil",
    "floor", "round", "max", "min", "pow", "sqrt", "random", "now", "freeze", NULL};
  for (int i = 0; pure[i]; i++)
    if (strcmp(pure[i], m) == 0)
      return true;
  return false;
}

/* The identifier at the root of a member chain (a in a.b[c].d), or null. */
static TSNode member_base(TSNode n) {
  while (is(n, "member_expression") || is(n, "subscript_expression") ||
         is(n, "parenthesized_expression") || is(n, "call_expression")) {
    if (is(n, "parenthesized_expression"))
      n = ts_node_named_child(n, 0);
    else if (is(n, "call_expression"))
      return (TSNode){0};   /* f().x: not a variable's object */
    else
      n = field(n, "object");
  }
  return is(n, "identifier") ? n : (TSNode){0};
}

/* Walks a member chain whose root is written through: the root is read and
 * written (member); indices and deeper objects are read. */
static void member_write(analyzer_t *a, TSNode n, flxc_scope_t *sc, bool call) {
  if (is(n, "identifier")) {
    flxc_ref_t *r = reference(a, sc, n, FLXC_READWRITE);
    r->member = true;
    r->call = call;
  } else if (is(n, "member_expression")) {
    member_write(a, field(n, "object"), sc, call);
  } else if (is(n, "subscript_expression")) {
    member_write(a, field(n, "object"), sc, call);
    walk(a, field(n, "index"), sc);
  } else if (is(n, "parenthesized_expression")) {
    member_write(a, ts_node_named_child(n, 0), sc, call);
  } else {
    walk(a, n, sc);
  }
}

/* An assignment target (or a declared pattern, with init). */
static void target(analyzer_t *a, TSNode n, flxc_scope_t *sc, unsigned access, bool init) {
  if (ts_node_is_null(n))
    return;
  if (is(n, "identifier") || is(n, "shorthand_property_identifier_pattern")) {
    reference(a, sc, n, access)->init = init;
  } else if (is(n, "member_expression") || is(n, "subscript_expression")) {
    member_write(a, n, sc, false);
  } else if (is(n, "parenthesized_expression")) {
    target(a, ts_node_named_child(n, 0), sc, access, init);
  } else if (is(n, "pair_pattern")) {
    TSNode key = field(n, "key");
    if (is(key, "computed_property_name"))
      walk(a, key, sc);
    target(a, field(n, "value"), sc, access, init);
  } else if (is(n, "assignment_pattern") || is(n, "object_assignment_pattern")) {
    walk(a, field(n, "right"), sc);   /* the default value */
    target(a, field(n, "left"), sc, access, init);
  } else if (is(n, "object_pattern") || is(n, "array_pattern") || is(n, "rest_pattern")) {
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
      target(a, ts_node_named_child(n, i), sc, access, init);
  } else {
    walk(a, n, sc);
  }
}

static void call(analyzer_t *a, TSNode n, flxc_scope_t *sc) {
  TSNode fn = field(n, "function");
  TSNode args = field(n, "arguments");
  bool writes_first_arg = false;
  if (is(fn, "member_expression")) {
    char *method = flxc_node_text(a->u, field(fn, "property"));
    TSNode base = member_base(fn);
    char *base_name = ts_node_is_null(base) ? NULL : flxc_node_text(a->u, base);
    writes_first_arg = base_name && flxc_writes_first_argument(base_name, method);
    if (!ts_node_is_null(base) && !flxc_pure_method(method) && !writes_first_arg)
      member_write(a, field(fn, "object"), sc, true);   /* list.push(x): list changes */
    else
      walk(a, field(fn, "object"), sc);
    free(method);
    free(base_name);
  } else {
    walk(a, fn, sc);
  }
  if (is(args, "template_string")) {
    walk(a, args, sc);
    return;
  }
  uint32_t k = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
  for (uint32_t i = 0; i < k; i++) {
    TSNode arg = ts_node_named_child(args, i);
    if (i == 0 && writes_first_arg && !ts_node_is_null(member_base(arg)))
      member_write(a, arg, sc, true);
    else if (is(arg, "identifier"))
      reference(a, sc, arg, FLXC_READ)->argument = true;
    else
      walk(a, arg, sc);
  }
}

/* ---- functions and blocks --------------------------------------------- */

/* The expressions inside a parameter pattern: default values and computed
 * keys. (Binding a parameter is not a write: the call does it.) */
static void defaults(analyzer_t *a, TSNode p, flxc_scope_t *sc) {
  if (is(p, "assignment_pattern") || is(p, "object_assignment_pattern")) {
    walk(a, field(p, "right"), sc);
    defaults(a, field(p, "left"), sc);
  } else if (is(p, "pair_pattern")) {
    if (is(field(p, "key"), "computed_property_name"))
      walk(a, field(p, "key"), sc);
    defaults(a, field(p, "value"), sc);
  } else if (is(p, "object_pattern") || is(p, "array_pattern") || is(p, "rest_pattern")) {
    uint32_t k = ts_node_named_child_count(p);
    for (uint32_t i = 0; i < k; i++)
      defaults(a, ts_node_named_child(p, i), sc);
  }
}

static void function(analyzer_t *a, TSNode n, flxc_scope_t *outer) {
  TSNode name = field(n, "name");
  if (is(n, "method_definition") && is(name, "computed_property_name"))
    walk(a, name, outer);
  flxc_scope_t *sc = scope_new(a, FLXC_SCOPE_FUNCTION, n, outer);
  if ((is(n, "function_expression") || is(n, "generator_function")) && !ts_node_is_null(name))
    declare(a, sc, name, FLXC_FUNCTION, n);   /* visible only inside */
  TSNode params = field(n, "parameters");
  TSNode single = field(n, "parameter");
  if (!ts_node_is_null(single)) {
    declare(a, sc, single, FLXC_PARAM, n);
  } else if (!ts_node_is_null(params)) {
    uint32_t k = ts_node_named_child_count(params);
    for (uint32_t i = 0; i < k; i++)
      declare_pattern(a, sc, ts_node_named_child(params, i), FLXC_PARAM, n);
    for (uint32_t i = 0; i < k; i++)
      defaults(a, ts_node_named_child(params, i), sc);
  }
  TSNode body = field(n, "body");
  if (is(body, "statement_block")) {
    hoist_vars(a, sc, body);
    hoist_lexical(a, sc, body);
    uint32_t k = ts_node_named_child_count(body);
    for (uint32_t i = 0; i < k; i++)
      walk(a, ts_node_named_child(body, i), sc);
  } else {
    walk(a, body, sc);   /* an arrow's expression */
  }
}

static void block(analyzer_t *a, TSNode n, flxc_scope_t *outer) {
  flxc_scope_t *sc = scope_new(a, FLXC_SCOPE_BLOCK, n, outer);
  hoist_lexical(a, sc, n);
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    walk(a, ts_node_named_child(n, i), sc);
}

/* for (let i = 0; ...) and for (const k of ...): the header has its scope. */
static void for_loop(analyzer_t *a, TSNode n, flxc_scope_t *outer) {
  flxc_scope_t *sc = scope_new(a, FLXC_SCOPE_BLOCK, n, outer);
  if (is(n, "for_statement")) {
    TSNode init = field(n, "initializer");
    if (is(init, "lexical_declaration"))
      declare_lexical(a, sc, init);
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
      walk(a, ts_node_named_child(n, i), sc);
    return;
  }
  TSNode kind = field(n, "kind"), left = field(n, "left");
  if (is(kind, "let") || is(kind, "const"))
    declare_pattern(a, sc, left, is(kind, "let") ? FLXC_LET : FLXC_CONST, n);
  walk(a, field(n, "right"), sc);
  target(a, left, sc, FLXC_WRITE, !ts_node_is_null(kind));
  walk(a, field(n, "body"), sc);
}

static void catch_clause(analyzer_t *a, TSNode n, flxc_scope_t *outer) {
  flxc_scope_t *sc = scope_new(a, FLXC_SCOPE_CATCH, n, outer);
  declare_pattern(a, sc, field(n, "parameter"), FLXC_CATCH, n);
  walk(a, field(n, "body"), sc);
}

/* ---- the walk ---------------------------------------------------------- */

static void walk(analyzer_t *a, TSNode n, flxc_scope_t *sc) {
  if (ts_node_is_null(n))
    return;
  const char *t = ts_node_type(n);
  if (strcmp(t, "identifier") == 0 || strcmp(t, "shorthand_property_identifier") == 0) {
    reference(a, sc, n, FLXC_READ);
  } else if (is_function(n)) {
    function(a, n, sc);
  } else if (strcmp(t, "statement_block") == 0 || strcmp(t, "switch_body") == 0 ||
             strcmp(t, "class_static_block") == 0) {
    block(a, n, sc);
  } else if (strcmp(t, "for_statement") == 0 || strcmp(t, "for_in_statement") == 0) {
    for_loop(a, n, sc);
  } else if (strcmp(t, "catch_clause") == 0) {
    catch_clause(a, n, sc);
  } else if (strcmp(t, "variable_declarator") == 0) {
    TSNode value = field(n, "value");
    walk(a, value, sc);
    if (!ts_node_is_null(value))   /* `let x;` writes nothing */
      target(a, field(n, "name"), sc, FLXC_WRITE, true);
  } else if (strcmp(t, "assignment_expression") == 0) {
    walk(a, field(n, "right"), sc);
    target(a, field(n, "left"), sc, FLXC_WRITE, false);
  } else if (strcmp(t, "augmented_assignment_expression") == 0) {
    walk(a, field(n, "right"), sc);
    target(a, field(n, "left"), sc, FLXC_READWRITE, false);
  } else if (strcmp(t, "update_expression") == 0) {
    target(a, field(n, "argument"), sc, FLXC_READWRITE, false);
  } else if (strcmp(t, "unary_expression") == 0 && is(field(n, "operator"), "delete")) {
    target(a, field(n, "argument"), sc, FLXC_WRITE, false);
  } else if (strcmp(t, "call_expression") == 0) {
    call(a, n, sc);
  } else if (strcmp(t, "member_expression") == 0) {
    walk(a, field(n, "object"), sc);   /* .property is a name, not a variable */
  } else if (strcmp(t, "pair") == 0) {
    if (is(field(n, "key"), "computed_property_name"))
      walk(a, field(n, "key"), sc);
    walk(a, field(n, "value"), sc);
  } else if (strcmp(t, "class_declaration") == 0 || strcmp(t, "class") == 0) {
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
      TSNode c = ts_node_named_child(n, i);
      if (!ts_node_eq(c, field(n, "name")))
        walk(a, c, sc);
    }
  } else if (strcmp(t, "field_definition") == 0) {
    walk(a, field(n, "value"), sc);
  } else if (strcmp(t, "labeled_statement") == 0) {
    walk(a, field(n, "body"), sc);
  } else if (strcmp(t, "export_specifier") == 0) {
    reference(a, sc, field(n, "name"), FLXC_READ);
  } else if (strcmp(t, "import_statement") == 0 || strcmp(t, "break_statement") == 0 ||
             strcmp(t, "continue_statement") == 0 || strncmp(t, "jsx_", 4) == 0 ||
             strcmp(t, "property_identifier") == 0 || strcmp(t, "statement_identifier") == 0 ||
             strcmp(t, "comment") == 0) {
    /* no variables here */
  } else {
    uint32_t k = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < k; i++)
      walk(a, ts_node_named_child(n, i), sc);
  }
}

/* Each function between a reference and its binding captures the binding. */
static void collect_free(flxc_scopes_t *s) {
  for (size_t i = 0; i < s->nrefs; i++) {
    flxc_binding_t *b = s->refs[i]->binding;
    if (b == NULL)
      continue;
    for (flxc_scope_t *f = s->refs[i]->scope->fn; f && f != b->scope->fn;
         f = f->parent ? f->parent->fn : NULL) {
      bool seen = false;
      for (size_t k = 0; k < f->nfree && !seen; k++)
        seen = f->free[k] == b;
      if (!seen)
        PUSH(f->free, f->nfree, b);
    }
  }
}

size_t flxc_scope_first_ref(const flxc_scopes_t *s, uint32_t from) {
  size_t lo = 0, hi = s->nrefs;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (ts_node_start_byte(s->by_start[mid]->node) < from)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static int ref_by_start(const void *a, const void *b) {
  uint32_t x = ts_node_start_byte((*(flxc_ref_t *const *)a)->node);
  uint32_t y = ts_node_start_byte((*(flxc_ref_t *const *)b)->node);
  return x < y ? -1 : x > y;
}

flxc_ref_t *flxc_scope_ref_at(const flxc_scopes_t *s, TSNode id) {
  uint32_t at = ts_node_start_byte(id);
  size_t lo = 0, hi = s->nrefs;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    uint32_t m = ts_node_start_byte(s->by_start[mid]->node);
    if (m == at)
      return ts_node_eq(s->by_start[mid]->node, id) ? s->by_start[mid] : NULL;
    if (m < at)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

bool flxc_writes_first_argument(const char *object, const char *method) {
  return strcmp(object, "Object") == 0 &&
         (strcmp(method, "assign") == 0 || strcmp(method, "defineProperty") == 0 ||
          strcmp(method, "defineProperties") == 0 || strcmp(method, "setPrototypeOf") == 0);
}

TSNode flxc_binding_function(const flxc_binding_t *b) {
  if (b->kind == FLXC_FUNCTION && is(b->decl, "function_declaration"))
    return b->decl;
  if (is(b->decl, "variable_declarator") && !flxc_binding_changed(b, false) &&
      is_function(field(b->decl, "value")))
    return field(b->decl, "value");
  return (TSNode){0};
}

bool flxc_binding_changed(const flxc_binding_t *b, bool through_object) {
  if (through_object && b->nalias_writes)
    return true;
  for (size_t i = 0; i < b->nrefs; i++)
    if ((b->refs[i]->access & FLXC_WRITE) && !b->refs[i]->init &&
        (through_object || !b->refs[i]->member))
      return true;
  return false;
}

flxc_scopes_t *flxc_scope_analyze(const flxc_unit_t *u) {
  analyzer_t a = {.u = u, .out = zalloc(sizeof(flxc_scopes_t))};
  a.out->unit = u;
  TSNode root = ts_tree_root_node(u->tree);
  flxc_scope_t *program = scope_new(&a, FLXC_SCOPE_PROGRAM, root, NULL);
  hoist_vars(&a, program, root);
  hoist_lexical(&a, program, root);
  uint32_t k = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < k; i++)
    walk(&a, ts_node_named_child(root, i), program);
  collect_free(a.out);
  a.out->by_start = malloc((a.out->nrefs ? a.out->nrefs : 1) * sizeof *a.out->by_start);
  if (a.out->nrefs)
    memcpy(a.out->by_start, a.out->refs, a.out->nrefs * sizeof *a.out->refs);
  if (a.out->nrefs)
    qsort(a.out->by_start, a.out->nrefs, sizeof *a.out->by_start, ref_by_start);
  flxc_alias_analyze(a.out);
  return a.out;
}

flxc_scope_t *flxc_scope_of(const flxc_scopes_t *s, TSNode node) {
  for (size_t i = 0; i < s->nscopes; i++)
    if (ts_node_eq(s->scopes[i]->node, node))
      return s->scopes[i];
  return NULL;
}

void flxc_scope_free(flxc_scopes_t *s) {
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->nscopes; i++) {
    flxc_scope_t *sc = s->scopes[i];
    for (size_t k = 0; k < sc->nbindings; k++) {
      free(sc->bindings[k]->name);
      free(sc->bindings[k]->refs);
      free(sc->bindings[k]->alias_writes);
      free(sc->bindings[k]);
    }
    free(sc->bindings);
    free(sc->free);
    free(sc);
  }
  for (size_t i = 0; i < s->nrefs; i++) {
    free(s->refs[i]->name);
    free(s->refs[i]);
  }
  free(s->scopes);
  free(s->refs);
  free(s->by_start);
  free(s);
}

/* ---- printing ---------------------------------------------------------- */

static const char *binding_kind_name(flxc_binding_kind_t k) {
  static const char *const names[] = {"var", "let", "const", "function", "param",
                                      "catch", "class", "import"};
  return names[k];
}

static const char *scope_kind_name(flxc_scope_kind_t k) {
  static const char *const names[] = {"program", "function", "block", "catch"};
  return names[k];
}

static void dump_ref(const flxc_ref_t *r, FILE *out) {
  static const char *const access[] = {"", "r", "w", "rw"};
  fputs(access[r->access], out);
  if (r->init)
    fputs("(init)", out);
  if (r->member)
    fputs("(member)", out);
  if (r->argument)
    fputs("(arg)", out);
}

/* scope KIND LINE:COL [free a b] [arguments]
 *   KIND NAME LINE:COL: refs...
 * then the globals: global NAME: refs... */
void flxc_scope_dump(const flxc_scopes_t *s, FILE *out) {
  for (size_t i = 0; i < s->nscopes; i++) {
    const flxc_scope_t *sc = s->scopes[i];
    TSPoint p = ts_node_start_point(sc->node);
    fprintf(out, "scope %s %u:%u", scope_kind_name(sc->kind), p.row + 1, p.column + 1);
    if (sc->nfree) {
      fputs(" free", out);
      for (size_t k = 0; k < sc->nfree; k++)
        fprintf(out, " %s", sc->free[k]->name);
    }
    if (sc->uses_arguments)
      fputs(" arguments", out);
    fputc('\n', out);
    for (size_t k = 0; k < sc->nbindings; k++) {
      const flxc_binding_t *b = sc->bindings[k];
      TSPoint q = ts_node_start_point(b->node);
      fprintf(out, "  %s %s %u:%u:", binding_kind_name(b->kind), b->name, q.row + 1,
              q.column + 1);
      for (size_t r = 0; r < b->nrefs; r++) {
        fputc(' ', out);
        dump_ref(b->refs[r], out);
      }
      fputc('\n', out);
    }
  }
  /* Globals, each name once, in order of first use. */
  for (size_t i = 0; i < s->nrefs; i++) {
    const flxc_ref_t *r = s->refs[i];
    if (r->binding)
      continue;
    bool first = true;
    for (size_t k = 0; k < i && first; k++)
      first = s->refs[k]->binding || strcmp(s->refs[k]->name, r->name) != 0;
    if (!first)
      continue;
    fprintf(out, "global %s:", r->name);
    for (size_t k = i; k < s->nrefs; k++)
      if (!s->refs[k]->binding && strcmp(s->refs[k]->name, r->name) == 0) {
        fputc(' ', out);
        dump_ref(s->refs[k], out);
      }
    fputc('\n', out);
  }
}
