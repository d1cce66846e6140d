/* analyze.c — the analyzer (seed 000 §3.1): finds the rupture points, calls
 * of known asynchronous callees with a function argument, and resolves each
 * callback to its function. Which callees are asynchronous is data: the table
 * below plus the application's own additions (--async FILE). A callback that
 * cannot be resolved leaves its rupture point in place, with a warning; so do
 * the constructs the analysis cannot see through (eval, with, ...). */
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct analyzer_s {
  const flxc_unit_t *u;
  const flxc_scopes_t *s;
  const flxc_async_t *extra;
  flxc_analysis_t *out;
} analyzer_t;

static bool text_is(const analyzer_t *a, TSNode n, const char *s) {
  uint32_t from = ts_node_start_byte(n), to = ts_node_end_byte(n);
  return !ts_node_is_null(n) && strlen(s) == to - from &&
         strncmp(a->u->src + from, s, to - from) == 0;
}

void flxc_warn(flxc_diag_t **list, size_t *n, TSNode at, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  *list = realloc(*list, (*n + 1) * sizeof **list);
  if (*list == NULL)
    abort();
  TSPoint p = ts_node_start_point(at);
  (*list)[(*n)++] = (flxc_diag_t){(int)p.row + 1, (int)p.column + 1,
                                  flxl_strndup(msg, strlen(msg))};
}

#define WARN(a, at, ...) flxc_warn(&(a)->out->warnings, &(a)->out->nwarnings, (at), __VA_ARGS__)

/* ---- what a name stands for ------------------------------------------- */

static flxc_binding_t *binding_of(const analyzer_t *a, TSNode id) {
  flxc_ref_t *r = flxc_scope_ref_at(a->s, id);
  return r ? r->binding : NULL;
}

/* The value a binding was declared with, if it is never assigned again. */
static TSNode single_value(const flxc_binding_t *b) {
  if (b == NULL || !is(b->decl, "variable_declarator") || flxc_binding_changed(b, false))
    return (TSNode){0};
  return field(b->decl, "value");
}

/* "fs" for require('fs') (or an import from 'fs'), else NULL; caller frees. */
static char *module_of_value(const analyzer_t *a, TSNode v) {
  if (is(v, "call_expression") && text_is(a, field(v, "function"), "require")) {
    TSNode args = field(v, "arguments");
    TSNode s = ts_node_named_child(args, 0);
    if (is(s, "string") && ts_node_named_child_count(args) == 1) {
      char *t = flxc_node_text(a->u, s);
      size_t n = strlen(t);
      char *m = flxl_strndup(t + 1, n >= 2 ? n - 2 : 0);
      free(t);
      return m;
    }
  }
  return NULL;
}

static char *module_of(const analyzer_t *a, TSNode id) {
  if (is(id, "call_expression"))   /* require('http').createServer(...) */
    return module_of_value(a, id);
  if (!is(id, "identifier"))
    return NULL;
  flxc_binding_t *b = binding_of(a, id);
  if (b == NULL)
    return NULL;
  if (b->kind == FLXC_IMPORT) {
    TSNode src = field(b->decl, "source");
    char *t = flxc_node_text(a->u, src);
    size_t n = strlen(t);
    char *m = flxl_strndup(t + 1, n >= 2 ? n - 2 : 0);
    free(t);
    return m;
  }
  return module_of_value(a, single_value(b));
}

static bool module_is(const analyzer_t *a, TSNode id, const char *name) {
  char *m = module_of(a, id);
  bool r = m && (strcmp(m, name) == 0 ||
                 (strncmp(m, "node:", 5) == 0 && strcmp(m + 5, name) == 0));
  free(m);
  return r;
}

static bool one_of(const analyzer_t *a, TSNode n, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (text_is(a, n, names[i]))
      return true;
  return false;
}

static const char *const express_listen[] = {"get", "post", "put", "delete", "patch",
                                             "all", "use", "options", "head", "param", NULL};

/* An Express application or router: express(), express.Router(),
 * require('express')(), app.route(path). */
static bool is_express(const analyzer_t *a, TSNode n) {
  if (is(n, "identifier")) {
    flxc_binding_t *b = binding_of(a, n);
    if (b && b->kind == FLXC_IMPORT)
      return false;
    TSNode v = single_value(b);
    return !ts_node_is_null(v) && is_express(a, v);
  }
  if (!is(n, "call_expression"))
    return false;
  TSNode f = field(n, "function");
  if (is(f, "identifier"))
    return module_is(a, f, "express");                      /* express() */
  if (is(f, "call_expression"))
    return is(field(f, "function"), "identifier") &&
           text_is(a, field(f, "function"), "require");     /* require('express')() */
  if (is(f, "member_expression")) {
    TSNode obj = field(f, "object"), prop = field(f, "property");
    if (text_is(a, prop, "Router")) {   /* express.Router(), require('express').Router() */
      char *m = module_of_value(a, obj);
      bool direct = m && strcmp(m, "express") == 0;
      free(m);
      return direct || module_is(a, obj, "express");
    }
    if (text_is(a, prop, "route"))
      return is_express(a, obj);
    if (one_of(a, prop, express_listen))
      return is_express(a, obj);   /* app.route(p).get(f).post(g): chained */
  }
  return false;
}

/* ---- the table of asynchronous callees --------------------------------- */


static const char *const promise_methods[] = {"then", "catch", "finally", NULL};
static const char *const listener_methods[] = {"on", "once", "addListener", NULL};
static const char *const crypto_async[] = {"pbkdf2", "randomBytes", "scrypt", "randomFill",
                                           NULL};
static const char *const timer_post[] = {"setTimeout", "setImmediate", "queueMicrotask",
                                         NULL};

/* Whether .on() listens to the outside: a server or a connection (made by
 * createServer, listen, connect or request), a callback's parameter (the
 * socket of a connection handler, the request of an HTTP handler), or
 * process. A local EventEmitter's emit calls its listeners synchronously:
 * those are no rupture points. */
static bool network_object(const analyzer_t *a, TSNode obj) {
  static const char *const makers[] = {"createServer", "listen", "connect",
                                       "createConnection", "request", "get", NULL};
  if (!is(obj, "identifier"))
    return false;
  flxc_binding_t *b = binding_of(a, obj);
  if (b == NULL)
    return false;   /* process: see process_listener */
  if (b->kind == FLXC_PARAM)
    return true;
  TSNode v = single_value(b);
  if (!is(v, "call_expression"))
    return false;
  TSNode f = field(v, "function");
  return is(f, "member_expression") && one_of(a, field(f, "property"), makers);
}

/* process.on('SIGTERM', () => { ... }): a signal's listener written in
 * place runs where the state it uses is (a group's, when it saves the
 * todos). One given by name stays in main's code, where process.off(name,
 * fn) can find the very function it was given; so do the listeners of
 * 'exit' and the like, which run as flx stops, when no message can. */
static bool process_listener(const analyzer_t *a, TSNode call, TSNode obj) {
  if (!is(obj, "identifier") || !text_is(a, obj, "process") || binding_of(a, obj) != NULL)
    return false;
  TSNode args = field(call, "arguments");
  uint32_t n = ts_node_named_child_count(args);
  if (n < 2)
    return false;
  TSNode event = ts_node_named_child(args, 0), fn = ts_node_named_child(args, n - 1);
  char *name = is(event, "string") ? flxc_node_text(a->u, event) : NULL;
  bool signal = name && strncmp(name + 1, "SIG", 3) == 0;   /* not 'exit': that runs as flx stops */
  free(name);
  return signal && (is(fn, "arrow_function") || is(fn, "function_expression") || is(fn, "function"));
}

/* A call of member prop of module m (fs.readFile, or readFile taken out of
 * fs): whether it is a rupture point, and of which kind. */
static bool classify_module_call(const char *m, const char *prop, flxl_kind_t *kind) {
  if (strncmp(m, "node:", 5) == 0)
    m += 5;
  bool web = strcmp(m, "http") == 0 || strcmp(m, "https") == 0;
  *kind = FLXL_START;
  if (strcmp(prop, "createServer") == 0 && (web || strcmp(m, "net") == 0))
    return true;
  *kind = FLXL_POST;
  if (strcmp(m, "fs") == 0) {   /* fs.readFile(f, cb); not fs.readFileSync(f) */
    size_t n = strlen(prop);
    return !(n >= 4 && strcmp(prop + n - 4, "Sync") == 0) &&
           strcmp(prop, "createReadStream") != 0 && strcmp(prop, "createWriteStream") != 0;
  }
  if (web && (strcmp(prop, "get") == 0 || strcmp(prop, "request") == 0))
    return true;
  for (int i = 0; strcmp(m, "crypto") == 0 && crypto_async[i]; i++)
    if (strcmp(prop, crypto_async[i]) == 0)
      return true;
  return false;
}

/* For a name that holds a module's member — const { readFile } = require('fs'),
 * { readFile: read } = ..., import { readFile } from 'fs', const readFile =
 * require('fs').readFile — the module (the caller frees it), with the
 * member's name in *member (the caller frees it too); else NULL. */
static char *imported_member(const analyzer_t *a, TSNode id, char **member) {
  flxc_binding_t *b = binding_of(a, id);
  if (b == NULL)
    return NULL;
  TSNode n = b->node, parent = ts_node_parent(n);
  if (b->kind == FLXC_IMPORT) {
    if (!is(parent, "import_specifier"))
      return NULL;   /* a default or namespace import is the module itself */
    *member = flxc_node_text(a->u, field(parent, "name"));
    return module_of(a, id);
  }
  TSNode value = single_value(b);
  if (ts_node_is_null(value))
    return NULL;
  char *m = NULL;
  if (is(n, "shorthand_property_identifier_pattern") &&
      ts_node_eq(ts_node_parent(n), field(b->decl, "name"))) {
    m = module_of_value(a, value);
    *member = m ? flxc_node_text(a->u, n) : NULL;
  } else if (is(parent, "pair_pattern") && ts_node_eq(ts_node_parent(parent), field(b->decl, "name"))) {
    m = module_of_value(a, value);
    *member = m ? flxc_node_text(a->u, field(parent, "key")) : NULL;
  } else if (is(n, "identifier") && is(value, "member_expression")) {
    m = module_of_value(a, field(value, "object"));
    *member = m ? flxc_node_text(a->u, field(value, "property")) : NULL;
  }
  return m;
}

/* Whether the call is a rupture point, and of which kind. */
static bool classify(const analyzer_t *a, TSNode call, flxl_kind_t *kind) {
  TSNode f = field(call, "function");
  char *text = flxc_node_text(a->u, f);
  for (size_t i = 0; a->extra && i < a->extra->n; i++)
    if (strcmp(a->extra->names[i], text) == 0) {
      *kind = a->extra->kinds[i];
      free(text);
      return true;
    }
  free(text);
  if (is(f, "identifier")) {
    char *member = NULL, *m = imported_member(a, f, &member);
    bool found = m && member && classify_module_call(m, member, kind);
    free(m);
    free(member);
    if (found)
      return true;
    if (binding_of(a, f) == NULL && text_is(a, f, "setInterval")) {
      *kind = FLXL_START;
      return true;
    }
    *kind = FLXL_POST;
    return (binding_of(a, f) == NULL && one_of(a, f, timer_post)) ||
           module_is(a, f, "raw-body");
  }
  if (!is(f, "member_expression"))
    return false;
  TSNode obj = field(f, "object"), prop = field(f, "property");
  *kind = FLXL_START;
  if (one_of(a, prop, express_listen) && is_express(a, obj))
    return true;
  if (one_of(a, prop, listener_methods))   /* server.on('request'), socket.on('data') */
    return network_object(a, obj) || process_listener(a, call, obj);
  char *m = module_of(a, obj);
  if (m) {   /* fs.readFile, http.createServer, require('crypto').scrypt */
    char *name = flxc_node_text(a->u, prop);
    bool found = classify_module_call(m, name, kind);
    free(name);
    free(m);
    if (found)
      return true;
  }
  *kind = FLXL_POST;
  if (one_of(a, prop, promise_methods))
    return true;
  if (text_is(a, obj, "process") && text_is(a, prop, "nextTick") && binding_of(a, obj) == NULL)
    return true;
  if (text_is(a, prop, "listen") && is_express(a, obj))
    return true;   /* app.listen(port, fn): once, after listening */
  return false;
}

/* ---- callbacks ---------------------------------------------------------- */

/* The function an argument stands for, or null if it is not known statically. */
static TSNode resolve(const analyzer_t *a, TSNode arg) {
  if (is_function(arg))
    return arg;
  if (is(arg, "identifier")) {
    flxc_binding_t *b = binding_of(a, arg);
    if (b && b->kind == FLXC_FUNCTION && is(b->decl, "function_declaration"))
      return b->decl;
    TSNode v = single_value(b);
    return is_function(v) ? v : (TSNode){0};
  }
  if (is(arg, "member_expression") && is(field(arg, "object"), "identifier")) {
    TSNode obj = single_value(binding_of(a, field(arg, "object")));
    if (!is(obj, "object"))
      return (TSNode){0};
    TSNode prop = field(arg, "property");
    uint32_t k = ts_node_named_child_count(obj);
    for (uint32_t i = 0; i < k; i++) {
      TSNode pair = ts_node_named_child(obj, i);
      TSNode key = field(pair, is(pair, "method_definition") ? "name" : "key");
      char *want = flxc_node_text(a->u, prop), *have = flxc_node_text(a->u, key);
      bool same = strcmp(want, have) == 0;
      free(want);
      free(have);
      if (!same)
        continue;
      if (is(pair, "method_definition"))
        return pair;
      TSNode v = field(pair, "value");
      return is_function(v) ? v : (TSNode){0};
    }
  }
  return (TSNode){0};
}

/* Arguments that cannot be functions need no warning. */
static bool surely_not_function(TSNode arg) {
  static const char *const values[] = {"string", "template_string", "number", "object",
                                       "array", "true", "false", "null", "undefined",
                                       "regex", "binary_expression", NULL};
  for (int i = 0; values[i]; i++)
    if (is(arg, values[i]))
      return true;
  return false;
}

/* express.json(), bodyParser.urlencoded(), cookieParser(secret): middleware
 * the host provides; computed at run time, but no state of the program's. */
static bool known_middleware(const analyzer_t *a, TSNode arg) {
  if (!is(arg, "call_expression"))
    return false;
  TSNode f = field(arg, "function");
  if (is(f, "member_expression"))
    f = field(f, "object");
  return module_is(a, f, "express") || module_is(a, f, "body-parser") ||
         module_is(a, f, "cookie-parser");
}

/* Which arguments are meant as callbacks: functions anywhere; otherwise the
 * handlers of an Express route (all but a leading path), or the last one. */
static bool maybe_callback(const analyzer_t *a, TSNode call, uint32_t i, uint32_t k) {
  TSNode f = field(call, "function");
  TSNode arg = ts_node_named_child(field(call, "arguments"), i);
  if (is_function(arg) || !ts_node_is_null(resolve(a, arg)))
    return true;
  if (is(f, "member_expression")) {
    TSNode prop = field(f, "property");
    if (one_of(a, prop, express_listen) && is_express(a, field(f, "object")))
      return i > 0 || !surely_not_function(arg);
    if (text_is(a, prop, "listen"))
      return false;   /* app.listen(port[, fn]): only a function is one */
    if (one_of(a, prop, promise_methods))
      return i < 2;
  }
  if (is(f, "identifier") && one_of(a, f, timer_post))
    return i == 0;
  if (is(f, "identifier") && text_is(a, f, "setInterval"))
    return i == 0;
  return i + 1 == k;
}

/* An export of one of the application's own files (module$N.exports, see
 * link.c, or one of its members): a router or middleware whose code is
 * analysed where it is written. (A package's is not: that one is warned.) */
static bool from_module(const analyzer_t *a, TSNode arg) {
  while (is(arg, "member_expression"))
    arg = field(arg, "object");
  if (!is(arg, "identifier"))
    return false;
  if (ts_node_end_byte(arg) - ts_node_start_byte(arg) > 7 &&
      strncmp(a->u->src + ts_node_start_byte(arg), "module$", 7) == 0)
    return true;
  TSNode v = single_value(binding_of(a, arg));
  while (is(v, "member_expression"))
    v = field(v, "object");
  if (is(v, "identifier")) {
    char *t = flxc_node_text(a->u, v);
    bool linked = strncmp(t, "module$", 7) == 0;
    free(t);
    return linked;
  }
  return false;
}

/* app.get(path, f), router.use(f): f is given (req, res, next) by Express
 * (an app.param callback is given the parameter too). */
static bool express_route(const analyzer_t *a, TSNode call) {
  TSNode f = field(call, "function");
  return is(f, "member_expression") && one_of(a, field(f, "property"), express_listen) &&
         !text_is(a, field(f, "property"), "param") && is_express(a, field(f, "object"));
}

static void rupture_point(analyzer_t *a, TSNode call, flxl_kind_t kind) {
  TSNode args = field(call, "arguments");
  bool route = express_route(a, call);
  uint32_t k = ts_node_named_child_count(args);
  char *callee = flxc_node_text(a->u, field(call, "function"));
  for (uint32_t i = 0; i < k; i++) {
    TSNode arg = ts_node_named_child(args, i);
    if (is(arg, "comment") || surely_not_function(arg) || !maybe_callback(a, call, i, k))
      continue;
    TSNode fn = resolve(a, arg);
    if (ts_node_is_null(fn)) {
      if (!known_middleware(a, arg) && !from_module(a, arg)) {
        char *t = flxc_node_text(a->u, arg);
        WARN(a, arg, "callback '%.60s' of %s is computed at run time; the rupture point "
             "is left in place", t, callee);
        free(t);
      }
      continue;
    }
    flxc_analysis_t *o = a->out;
    o->ruptures = realloc(o->ruptures, (o->n + 1) * sizeof *o->ruptures);
    if (o->ruptures == NULL)
      abort();
    o->ruptures[o->n++] = (flxc_rupture_t){call, arg, fn, kind,
                                           flxl_strndup(callee, strlen(callee)), route};
  }
  free(callee);
}

/* ---- the walk ------------------------------------------------------------ */

static void fallbacks(analyzer_t *a, TSNode n) {
  if (is(n, "with_statement"))
    WARN(a, n, "'with' hides which variables it touches: the fluxions with state are "
         "grouped");
  if (is(n, "call_expression") || is(n, "new_expression")) {
    TSNode f = field(n, is(n, "call_expression") ? "function" : "constructor");
    if (is(f, "identifier") && binding_of(a, f) == NULL) {
      if (text_is(a, f, "eval"))
        WARN(a, n, "eval hides which variables it touches: the fluxions with state are "
             "grouped");
      else if (text_is(a, f, "Function"))
        WARN(a, n, "new Function hides which variables it touches: the fluxions with "
             "state are grouped");
      else if (text_is(a, f, "require")) {
        TSNode args = field(n, "arguments");
        TSNode s = ts_node_named_child(args, 0);
        if (!is(s, "string"))
          WARN(a, n, "require of a computed name: the module cannot be analysed");
      }
    }
  }
}

static void walk(analyzer_t *a, TSNode n) {
  fallbacks(a, n);
  flxl_kind_t kind;
  if (is(n, "call_expression") && classify(a, n, &kind))
    rupture_point(a, n, kind);
  uint32_t k = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    walk(a, ts_node_named_child(n, i));
}

void flxc_analyze(const flxc_unit_t *u, const flxc_scopes_t *s, const flxc_async_t *extra,
                  flxc_analysis_t *out) {
  memset(out, 0, sizeof *out);
  analyzer_t a = {u, s, extra, out};
  walk(&a, ts_tree_root_node(u->tree));
  for (size_t i = 0; i < s->nscopes; i++)
    if (s->scopes[i]->uses_arguments)
      WARN(&a, s->scopes[i]->node, "'arguments' may alias this function's parameters: "
           "its state is grouped");
}

void flxc_analysis_free(flxc_analysis_t *a) {
  for (size_t i = 0; i < a->n; i++)
    free(a->ruptures[i].callee);
  for (size_t i = 0; i < a->nwarnings; i++)
    free(a->warnings[i].message);
  free(a->ruptures);
  free(a->warnings);
  memset(a, 0, sizeof *a);
}

/* ---- --async FILE and package.json ---------------------------------------- */

static void add_async(flxc_async_t *a, const char *name, flxl_kind_t kind);

int flxc_async_load(flxc_async_t *a, const char *path, flxl_error_t *err) {
  memset(err, 0, sizeof *err);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    char msg[256];
    snprintf(msg, sizeof msg, "cannot read %s", path);
    err->file = flxl_strndup(path, strlen(path));
    err->message = flxl_strndup(msg, strlen(msg));
    return -1;
  }
  char line[512], kind[16], name[400];
  int lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char *s = line + strspn(line, " \t");
    if (*s == '#' || *s == '\n' || *s == '\0')
      continue;
    if (sscanf(s, "%15s %399s", kind, name) != 2 ||
        (strcmp(kind, "start") != 0 && strcmp(kind, "post") != 0)) {
      err->file = flxl_strndup(path, strlen(path));
      err->line = lineno;
      err->col = (int)(s - line) + 1;
      err->message = flxl_strndup("expected 'start NAME' or 'post NAME'", 36);
      err->source_line = flxl_strndup(line, strcspn(line, "\n"));
      fclose(f);
      return -1;
    }
    add_async(a, name, kind[0] == 's' ? FLXL_START : FLXL_POST);
  }
  fclose(f);
  return 0;
}

static void add_async(flxc_async_t *a, const char *name, flxl_kind_t kind) {
  a->names = realloc(a->names, (a->n + 1) * sizeof *a->names);
  a->kinds = realloc(a->kinds, (a->n + 1) * sizeof *a->kinds);
  if (a->names == NULL || a->kinds == NULL)
    abort();
  a->names[a->n] = flxl_strndup(name, strlen(name));
  a->kinds[a->n++] = kind;
}

static void json_error(flxl_error_t *err, const char *path, const char *text, size_t at,
                       const char *msg) {
  int line = 1;
  size_t bol = 0;
  for (size_t i = 0; i < at; i++)
    if (text[i] == '\n') {
      line++;
      bol = i + 1;
    }
  err->file = flxl_strndup(path, strlen(path));
  err->line = line;
  err->col = (int)(at - bol) + 1;
  err->message = flxl_strndup(msg, strlen(msg));
  err->source_line = flxl_strndup(text + bol, strcspn(text + bol, "\n"));
}

int flxc_async_from_package(flxc_async_t *a, const char *app, flxl_error_t *err) {
  memset(err, 0, sizeof *err);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", app);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  char *text = NULL, path[4200];
  for (;;) {   /* the nearest package.json, as Node.js looks for it */
    snprintf(path, sizeof path, "%s/package.json", dir);
    if ((text = flxc_read_file(path, NULL)) != NULL)
      break;
    slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
      return 0;
    *slash = '\0';
  }
  const char *why = NULL;
  size_t at = 0;
  flxc_json_t *pkg = flxc_json_parse(text, &why, &at);
  if (pkg == NULL) {
    json_error(err, path, text, at, why);
    free(text);
    return -1;
  }
  const flxc_json_t *list = flxc_json_get(flxc_json_get(pkg, "flx"), "async");
  int rc = 0;
  for (size_t i = 0; list && list->kind == FLXC_JSON_OBJECT && i < list->n; i++) {
    const flxc_json_t *v = list->items[i];
    if (v->kind != FLXC_JSON_STRING ||
        (strcmp(v->string, "start") != 0 && strcmp(v->string, "post") != 0)) {
      char msg[300];
      snprintf(msg, sizeof msg, "\"flx\".\"async\".\"%s\" must be \"start\" or \"post\"",
               v->key);
      const char *where = strstr(text, v->key);
      json_error(err, path, text, where ? (size_t)(where - text) : 0, msg);
      rc = -1;
      break;
    }
    add_async(a, v->key, v->string[0] == 's' ? FLXL_START : FLXL_POST);
  }
  flxc_json_free(pkg);
  free(text);
  return rc;
}

void flxc_async_free(flxc_async_t *a) {
  for (size_t i = 0; i < a->n; i++)
    free(a->names[i]);
  free(a->names);
  free(a->kinds);
  memset(a, 0, sizeof *a);
}
