/* link.c — multi-file applications: loads an application and the relative
 * files it requires (transitively), and joins them into one program that the
 * other phases see as a single source.
 *
 * Each required file's top-level names get a suffix ($N, N its number), so
 * that module state becomes top-level state of the program, which the
 * pipeliner scopes, shares or replicates like any other; `module` and
 * `exports` become that file's module$N object, `require('./x')` becomes the
 * required file's module$M.exports, and __filename/__dirname its own path.
 * Files are placed before the code that requires them, dependencies first,
 * and every module$N object is declared on the first line, so a circular
 * require sees partial exports, as in Node.js. Lines are never added or
 * removed inside a file, so a source map of line ranges maps any position of
 * the joined program back to its file. (A require run lazily inside a
 * function still runs its file at start: documented in docs/compiler.md.) */
#include "internal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

typedef struct module_s {
  char *path;               /* as loaded (absolute) */
  char *src;
  size_t len;
  bool json;
  bool done;                /* loaded and its requires followed */
  flxc_unit_t unit;         /* JavaScript only */
  flxc_scopes_t *scopes;
} module_t;

typedef struct linker_s {
  module_t *mods;           /* [0] is the application */
  size_t n;
  size_t *order;            /* dependencies first, the application last */
  size_t norder;
  flxl_error_t *err;
} linker_t;

static bool is_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return false;
  bool dir = fseek(f, 0, SEEK_END) != 0 || ftell(f) < 0;   /* a folder fails here */
  fclose(f);
  return !dir && access(path, R_OK) == 0;
}

/* require('./x') from file `from`: x, x.js, x.json, x/index.js. */
static char *resolve(const char *from, const char *spec) {
  char dir[PATH_MAX], want[PATH_MAX + 32], real[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", from);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  static const char *const tails[] = {"", ".js", ".json", "/index.js", NULL};
  for (int i = 0; tails[i]; i++) {
    snprintf(want, sizeof want, "%s/%s%s", dir, spec, tails[i]);
    if (is_file(want) && realpath(want, real))
      return flxl_strndup(real, strlen(real));
  }
  return NULL;
}

/* A string literal's text if it is a relative path ('./x', '../x'), else
 * NULL (caller frees). */
static char *relative_spec(const flxc_unit_t *u, TSNode string) {
  char *t = flxc_node_text(u, string);
  size_t n = strlen(t);
  char *spec = flxl_strndup(t + 1, n >= 2 ? n - 2 : 0);
  free(t);
  if (strncmp(spec, "./", 2) != 0 && strncmp(spec, "../", 3) != 0) {
    free(spec);
    return NULL;
  }
  return spec;
}

/* The relative path a require call names, or NULL (caller frees). */
static char *relative_require(const flxc_unit_t *u, const flxc_scopes_t *s, TSNode call) {
  TSNode f = field(call, "function");
  if (!is(f, "identifier"))
    return NULL;
  flxc_ref_t *r = flxc_scope_ref_at(s, f);
  if (r == NULL || r->binding != NULL || strcmp(r->name, "require") != 0)
    return NULL;
  TSNode args = field(call, "arguments");
  TSNode arg = ts_node_named_child(args, 0);
  if (ts_node_named_child_count(args) != 1 || !is(arg, "string"))
    return NULL;
  return relative_spec(u, arg);
}

static int load(linker_t *l, const char *path);

/* The relative path an import statement names, or NULL (caller frees). */
static char *relative_import(const flxc_unit_t *u, TSNode st) {
  return is(st, "import_statement") ? relative_spec(u, field(st, "source")) : NULL;
}

static int find_requires(linker_t *l, size_t m, TSNode n) {
  if (is(n, "call_expression") || is(n, "import_statement")) {
    char *spec = is(n, "import_statement")
                     ? relative_import(&l->mods[m].unit, n)
                     : relative_require(&l->mods[m].unit, l->mods[m].scopes, n);
    if (spec) {
      char *target = resolve(l->mods[m].path, spec);
      if (target == NULL) {
        TSPoint p = ts_node_start_point(n);
        char msg[600];
        snprintf(msg, sizeof msg, "cannot find module '%s'", spec);
        free(spec);
        l->err->file = flxl_strndup(l->mods[m].path, strlen(l->mods[m].path));
        l->err->line = (int)p.row + 1;
        l->err->col = (int)p.column + 1;
        l->err->message = flxl_strndup(msg, strlen(msg));
        const char *line = l->mods[m].src;
        for (uint32_t r = 0; r < p.row && line; r++)
          line = strchr(line, '\n') + 1;
        l->err->source_line = flxl_strndup(line, strcspn(line, "\n"));
        return -1;
      }
      free(spec);
      int rc = load(l, target);
      free(target);
      if (rc < 0)
        return -1;
    }
  }
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    if (find_requires(l, m, ts_node_named_child(n, i)) < 0)
      return -1;
  return 0;
}

static int index_of(const linker_t *l, const char *path) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->mods[i].path, path) == 0)
      return (int)i;
  return -1;
}

static int load(linker_t *l, const char *path) {
  if (index_of(l, path) >= 0)
    return 0;   /* loaded, or being loaded: a cycle */
  size_t len;
  char *src = flxc_read_file(path, &len);
  if (src == NULL) {
    char msg[PATH_MAX + 32];
    snprintf(msg, sizeof msg, "cannot read %s", path);
    l->err->file = flxl_strndup(path, strlen(path));
    l->err->message = flxl_strndup(msg, strlen(msg));
    return -1;
  }
  /* A script's first line may be `#!/usr/bin/env node` (express-generator's
   * bin/www), which node skips; blanked, so that lines keep their numbers
   * once the files are joined into one program. */
  if (len >= 2 && src[0] == '#' && src[1] == '!')
    for (size_t i = 0; i < len && src[i] != '\n'; i++)
      src[i] = ' ';
  PUSH(l->mods, l->n, ((module_t){0}));
  size_t m = l->n - 1;
  l->mods[m].path = flxl_strndup(path, strlen(path));
  l->mods[m].src = src;
  l->mods[m].len = len;
  size_t plen = strlen(path);
  if (plen > 5 && strcmp(path + plen - 5, ".json") == 0) {
    l->mods[m].json = true;
  } else {
    if (flxc_parse_string(path, src, len, &l->mods[m].unit, l->err) != 0)
      return -1;
    l->mods[m].scopes = flxc_scope_analyze(&l->mods[m].unit);
    if (find_requires(l, m, ts_tree_root_node(l->mods[m].unit.tree)) < 0)
      return -1;
  }
  PUSH(l->order, l->norder, m);
  return 0;
}

/* ---- rewriting a file ----------------------------------------------------- */

typedef struct rewrite_s {
  uint32_t from, to;
  char *with;
} rewrite_t;

static int by_from(const void *a, const void *b) {
  const rewrite_t *x = a, *y = b;
  return x->from < y->from ? -1 : x->from > y->from;
}

static void add(rewrite_t **rw, size_t *n, TSNode node, char *with) {
  uint32_t from = ts_node_start_byte(node);
  for (size_t i = 0; i < *n; i++)
    if ((*rw)[i].from == from) {   /* a declared name is also its own reference */
      free(with);
      return;
    }
  PUSH(*rw, *n, ((rewrite_t){from, ts_node_end_byte(node), with}));
}

static char *printf_dup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printf_dup(const char *fmt, ...) {
  char buf[PATH_MAX + 256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return flxl_strndup(buf, strlen(buf));
}

/* A name renamed where it stands; a shorthand keeps its key, an import
 * keeps the name it imports. */
static char *renamed(TSNode node, const char *name, size_t m) {
  if (is(node, "shorthand_property_identifier") ||
      is(node, "shorthand_property_identifier_pattern"))
    return printf_dup("%s: %s$%zu", name, name, m);
  TSNode up = ts_node_parent(node);
  if (is(up, "import_specifier") && ts_node_is_null(field(up, "alias")))
    return printf_dup("%s as %s$%zu", name, name, m);
  return printf_dup("%s$%zu", name, m);
}

/* The same number of line breaks as node's text: lines keep their numbers. */
static char *blank(const flxc_unit_t *u, TSNode node) {
  size_t lines = 0;
  for (uint32_t i = ts_node_start_byte(node); i < ts_node_end_byte(node); i++)
    lines += u->src[i] == '\n';
  char *s = malloc(lines + 1);
  memset(s, '\n', lines);
  s[lines] = '\0';
  return s;
}

/* import ... from './x': the statement goes; each name it binds becomes the
 * exporting file's module$M.exports member, read where it is used (live, as
 * an ES module binding is). */
static void relative_imports(const linker_t *l, size_t m, rewrite_t **rw, size_t *n) {
  const module_t *mod = &l->mods[m];
  const flxc_scope_t *top = mod->scopes->scopes[0];
  for (size_t i = 0; i < top->nbindings; i++) {
    const flxc_binding_t *b = top->bindings[i];
    char *spec = b->kind == FLXC_IMPORT ? relative_import(&mod->unit, b->decl) : NULL;
    if (spec == NULL)
      continue;
    char *target = resolve(mod->path, spec);
    int from = index_of(l, target);
    free(target);
    free(spec);
    TSNode up = ts_node_parent(b->node);
    char *member = NULL;
    if (is(up, "import_specifier"))            /* { a } or { a as b } */
      member = flxc_node_text(&mod->unit, field(up, "name"));
    else if (!is(up, "namespace_import"))      /* the default export */
      member = flxl_strndup("default", 7);
    for (size_t r = 0; r < b->nrefs; r++) {
      TSNode at = b->refs[r]->node;
      char *expr = member ? printf_dup("module$%d.exports.%s", from, member)
                          : printf_dup("module$%d.exports", from);
      if (is(at, "shorthand_property_identifier")) {
        char *pair = printf_dup("%s: %s", b->name, expr);
        free(expr);
        expr = pair;
      }
      add(rw, n, at, expr);
    }
    free(member);
    add(rw, n, b->decl, blank(&mod->unit, b->decl));
  }
}

/* export const a = 1, export function f() {}, export { a as b }, export
 * default e: in a required file, each becomes a getter of module$N.exports,
 * defined after the file's code (`getters`), so importers see live values. */
static void exports_of(const linker_t *l, size_t m, rewrite_t **rw, size_t *n, FILE *getters) {
  const module_t *mod = &l->mods[m];
  TSNode root = ts_tree_root_node(mod->unit.tree);
  const flxc_scope_t *top = mod->scopes->scopes[0];
  uint32_t k = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < k; i++) {
    TSNode st = ts_node_named_child(root, i);
    if (!is(st, "export_statement") || !ts_node_is_null(field(st, "source")))
      continue;
    TSNode decl = field(st, "declaration"), value = field(st, "value");
    if (!ts_node_is_null(decl)) {
      /* export default function f() {}: f is exported as "default". */
      bool dflt = strncmp(mod->src + ts_node_start_byte(st), "export default", 14) == 0;
      PUSH(*rw, *n, ((rewrite_t){ts_node_start_byte(st), ts_node_start_byte(decl),
                                  flxl_strndup("", 0)}));
      for (size_t b = 0; b < top->nbindings; b++) {
        uint32_t at = ts_node_start_byte(top->bindings[b]->node);
        if (at >= ts_node_start_byte(decl) && at < ts_node_end_byte(decl))
          fprintf(getters, "Object.defineProperty(module$%zu.exports, \"%s\", "
                  "{ get: () => %s$%zu, enumerable: true });", m,
                  dflt ? "default" : top->bindings[b]->name, top->bindings[b]->name, m);
      }
    } else if (!ts_node_is_null(value)) {   /* export default e */
      PUSH(*rw, *n, ((rewrite_t){ts_node_start_byte(st), ts_node_start_byte(value),
                                  printf_dup("module$%zu.exports.default = ", m)}));
    } else {   /* export { a, b as c } */
      uint32_t c = ts_node_named_child_count(st);
      for (uint32_t j = 0; j < c; j++) {
        TSNode clause = ts_node_named_child(st, j);
        uint32_t s = ts_node_named_child_count(clause);
        for (uint32_t q = 0; is(clause, "export_clause") && q < s; q++) {
          TSNode spec = ts_node_named_child(clause, q);
          TSNode alias = field(spec, "alias");
          char *local = flxc_node_text(&mod->unit, field(spec, "name"));
          char *name = flxc_node_text(&mod->unit, ts_node_is_null(alias) ? field(spec, "name")
                                                                         : alias);
          fprintf(getters, "Object.defineProperty(module$%zu.exports, \"%s\", "
                  "{ get: () => %s$%zu, enumerable: true });", m, name, local, m);
          free(local);
          free(name);
        }
      }
      add(rw, n, st, blank(&mod->unit, st));
    }
  }
}

/* require('./x') → module$M.exports, everywhere in file m. */
static void requires(const linker_t *l, size_t m, TSNode node, rewrite_t **rw, size_t *n) {
  const module_t *mod = &l->mods[m];
  if (is(node, "call_expression")) {
    char *spec = relative_require(&mod->unit, mod->scopes, node);
    if (spec) {
      char *target = resolve(mod->path, spec);
      add(rw, n, node, printf_dup("module$%d.exports", index_of(l, target)));
      free(target);
      free(spec);
      return;
    }
  }
  uint32_t k = ts_node_named_child_count(node);
  for (uint32_t i = 0; i < k; i++)
    requires(l, m, ts_node_named_child(node, i), rw, n);
}

static void json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++)
    fprintf(out, (*s == '"' || *s == '\\') ? "\\%c" : "%c", *s);
  fputc('"', out);
}

static void write_file(const linker_t *l, size_t m, FILE *out) {
  const module_t *mod = &l->mods[m];
  if (mod->json) {
    fprintf(out, "module$%zu.exports = %s", m, mod->src);
    if (mod->len == 0 || mod->src[mod->len - 1] != '\n')
      fputc('\n', out);
    return;
  }
  rewrite_t *rw = NULL;
  size_t n = 0;
  const flxc_scopes_t *s = mod->scopes;
  char *getters = NULL;
  size_t gsize = 0;
  FILE *g = open_memstream(&getters, &gsize);
  relative_imports(l, m, &rw, &n);   /* first: their rewrites win */
  if (m > 0)
    exports_of(l, m, &rw, &n, g);
  fclose(g);
  if (m > 0) {   /* the application keeps its names */
    flxc_scope_t *top = s->scopes[0];
    for (size_t i = 0; i < top->nbindings; i++) {
      const flxc_binding_t *b = top->bindings[i];
      add(&rw, &n, b->node, renamed(b->node, b->name, m));
      for (size_t r = 0; r < b->nrefs; r++)
        add(&rw, &n, b->refs[r]->node, renamed(b->refs[r]->node, b->name, m));
    }
  }
  for (size_t i = 0; i < s->nrefs; i++) {
    const flxc_ref_t *r = s->refs[i];
    if (r->binding || m == 0)
      continue;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", mod->path);
    *strrchr(dir, '/') = '\0';
    char *text = NULL;
    size_t size = 0;
    FILE *t = open_memstream(&text, &size);
    if (strcmp(r->name, "module") == 0)
      fprintf(t, "module$%zu", m);
    else if (strcmp(r->name, "exports") == 0)
      fprintf(t, "module$%zu.exports", m);
    else if (strcmp(r->name, "__filename") == 0)
      json_string(t, mod->path);
    else if (strcmp(r->name, "__dirname") == 0)
      json_string(t, dir);
    fclose(t);
    if (size)
      add(&rw, &n, r->node, text);
    else
      free(text);
  }
  requires(l, m, ts_tree_root_node(mod->unit.tree), &rw, &n);
  if (n)
    qsort(rw, n, sizeof *rw, by_from);
  uint32_t at = 0;
  for (size_t i = 0; i < n; i++) {
    if (rw[i].from >= at) {
      fwrite(mod->src + at, 1, rw[i].from - at, out);
      fputs(rw[i].with, out);
      at = rw[i].to;
    }
    free(rw[i].with);
  }
  free(rw);
  fwrite(mod->src + at, 1, mod->len - at, out);
  if (mod->len == 0 || mod->src[mod->len - 1] != '\n')
    fputc('\n', out);
  if (gsize)   /* one line after the file's own */
    fprintf(out, "%s\n", getters);
  free(getters);
}

static int count_lines(const char *s, size_t len) {
  int n = 0;
  for (size_t i = 0; i < len; i++)
    n += s[i] == '\n';
  return n;
}

int flxc_parse_app(const char *path, flxc_unit_t *out, flxl_error_t *err) {
  linker_t l = {.err = err};
  memset(err, 0, sizeof *err);
  memset(out, 0, sizeof *out);
  char real[PATH_MAX];
  int rc = -1;
  if (realpath(path, real) == NULL) {
    char msg[PATH_MAX + 32];
    snprintf(msg, sizeof msg, "cannot read %s", path);
    err->file = flxl_strndup(path, strlen(path));
    err->message = flxl_strndup(msg, strlen(msg));
    return -1;
  }
  if (load(&l, real) != 0)
    goto done;
  if (l.n == 1) {   /* one file: the program is the file itself */
    rc = flxc_parse_string(path, l.mods[0].src, l.mods[0].len, out, err);
    goto done;
  }
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  flxc_file_t *files = NULL;
  size_t nfiles = 0;
  int line = 2;
  fputs("var", f);
  for (size_t i = 1; i < l.n; i++)
    fprintf(f, "%s module$%zu = { exports: {} }", i > 1 ? "," : "", i);
  fputs(";\n", f);
  for (size_t k = 0; k < l.norder; k++) {
    size_t m = l.order[k];
    fflush(f);
    size_t before = size;
    write_file(&l, m, f);
    fflush(f);
    const char *shown = m == 0 ? path : l.mods[m].path;
    PUSH(files, nfiles, ((flxc_file_t){flxl_strndup(shown, strlen(shown)), line}));
    line += count_lines(text + before, size - before);
  }
  fclose(f);
  rc = flxc_parse_string(path, text, size, out, err);
  free(text);
  if (rc == 0) {
    out->files = files;
    out->nfiles = nfiles;
  } else {   /* the files parsed alone, so this is the joining's fault */
    for (size_t i = 0; i < nfiles; i++)
      free(files[i].path);
    free(files);
  }
done:
  for (size_t i = 0; i < l.n; i++) {
    free(l.mods[i].path);
    free(l.mods[i].src);
    if (!l.mods[i].json && l.mods[i].unit.tree) {
      flxc_scope_free(l.mods[i].scopes);
      flxc_unit_free(&l.mods[i].unit);
    }
  }
  free(l.mods);
  free(l.order);
  return rc;
}

void flxc_unit_position(const flxc_unit_t *u, int line, const char **file, int *file_line) {
  *file = u->path;
  *file_line = line;
  for (size_t i = 0; i < u->nfiles; i++)
    if (line >= u->files[i].first_line) {
      *file = u->files[i].path;
      *file_line = line - u->files[i].first_line + 1;
    }
}
