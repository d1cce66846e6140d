/* parse.c — the .flx parser. The text is read line by line: a line at column
 * 0 starts an item or is a stream of the item just begun; indented lines are
 * the item's JavaScript body, kept as text with its placeholders located.
 * A mistake jumps out (as Lua's parser does) after filling the error; what
 * was built so far hangs off the program, which the caller's cleanup frees. */
#include "flxl.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser_s {
  const char *file;
  const char *text;
  size_t len;
  size_t line_start;        /* of the current line */
  size_t line_end;          /* its '\n' or len */
  int line;
  flxl_program_t *prog;
  flxl_error_t *err;
  char *scratch;            /* the current line's copy, freed on failure */
  jmp_buf fail;
} parser_t;

/* ---- errors ---------------------------------------------------------- */

char *flxl_strndup(const char *s, size_t n) {
  char *c = malloc(n + 1);
  if (c == NULL)
    abort();
  memcpy(c, s, n);
  c[n] = '\0';
  return c;
}


static char *line_text(const parser_t *p, int line) {
  size_t at = 0;
  for (int l = 1; l < line && at < p->len; at++)
    if (p->text[at] == '\n')
      l++;
  size_t end = at;
  while (end < p->len && p->text[end] != '\n')
    end++;
  return flxl_strndup(p->text + at, end - at);
}

static _Noreturn void fail_at(parser_t *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static _Noreturn void fail_at(parser_t *p, int line, int col, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  p->err->file = flxl_strndup(p->file, strlen(p->file));
  p->err->line = line;
  p->err->col = col;
  p->err->message = flxl_strndup(msg, strlen(msg));
  p->err->source_line = line_text(p, line);
  longjmp(p->fail, 1);
}

/* `at` points into the copy of the current line. */
#define FAIL(p, at, ...) \
  fail_at((p), (p)->line, (int)((at) - (p)->scratch) + 1, __VA_ARGS__)

/* ---- the header's scanner --------------------------------------------- */

static const char *skip_ws(const char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  return s;
}

static bool id_start(int c) { return isalpha(c) || c == '_' || c == '$' || c >= 0x80; }
static bool id_char(int c) { return id_start(c) || isdigit(c); }

/* The line's text is NUL-terminated in a copy, so scanners stop at '\0'. */
static char *read_id(parser_t *p, const char **s, const char *what) {
  const char *a = *s;
  if (!id_start((unsigned char)*a))
    FAIL(p, a, "expected %s", what);
  const char *b = a;
  while (id_char((unsigned char)*b))
    b++;
  *s = b;
  return flxl_strndup(a, (size_t)(b - a));
}

static void list_add(flxl_list_t *l, char *item) {
  l->items = realloc(l->items, (l->n + 1) * sizeof *l->items);
  if (l->items == NULL)
    abort();
  l->items[l->n++] = item;
}

static void read_list(parser_t *p, const char **s, flxl_list_t *l, const char *what) {
  for (;;) {
    *s = skip_ws(*s);
    list_add(l, read_id(p, s, what));
    *s = skip_ws(*s);
    if (**s != ',')
      return;
    (*s)++;
  }
}

/* A JavaScript expression up to a ',' or '}' outside brackets and strings. */
static char *read_expr(parser_t *p, const char **s) {
  const char *a = skip_ws(*s), *c = a;
  char stack[64];
  int depth = 0;
  for (; *c; c++) {
    if (*c == '\'' || *c == '"' || *c == '`') {
      char q = *c;
      for (c++; *c && *c != q; c++)
        if (*c == '\\' && c[1])
          c++;
      if (!*c)
        FAIL(p, a, "unterminated string in an initial value");
    } else if (*c == '(' || *c == '[' || *c == '{') {
      if (depth == (int)sizeof stack)
        FAIL(p, c, "initial value nested too deeply");
      stack[depth++] = *c == '(' ? ')' : *c == '[' ? ']' : '}';
    } else if (depth && *c == stack[depth - 1]) {
      depth--;
    } else if (!depth && (*c == ',' || *c == '}')) {
      break;
    }
  }
  const char *end = c;
  while (end > a && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  if (end == a)
    FAIL(p, a, "expected an initial value after '='");
  *s = c;
  return flxl_strndup(a, (size_t)(end - a));
}

static void read_ctx(parser_t *p, const char **s, flxl_fluxion_t *f) {
  (*s)++;   /* '{' */
  for (;;) {
    *s = skip_ws(*s);
    f->ctx = realloc(f->ctx, (f->nctx + 1) * sizeof *f->ctx);
    if (f->ctx == NULL)
      abort();
    flxl_var_t *v = &f->ctx[f->nctx++];
    v->init = NULL;
    v->name = NULL;
    v->from_main = false;
    v->name = read_id(p, s, "a context variable");
    *s = skip_ws(*s);
    if (**s == '=') {
      (*s)++;
      v->init = read_expr(p, s);
    } else if (strncmp(*s, "from", 4) == 0 && isspace((unsigned char)(*s)[4])) {
      *s = skip_ws(*s + 4);
      if (strncmp(*s, "main", 4) != 0 || isalnum((unsigned char)(*s)[4]) || (*s)[4] == '_')
        FAIL(p, *s, "expected 'main' after 'from' in the context of fluxion %s", f->name);
      *s = skip_ws(*s + 4);
      v->from_main = true;
    }
    if (**s == '}') {
      (*s)++;
      return;
    }
    if (**s != ',')
      FAIL(p, *s, "expected ',' or '}' in the context of fluxion %s", f->name);
    (*s)++;
  }
}

/* '@' file ':' line ':' col, to the end of the line. */
static void read_origin(parser_t *p, const char **s, flxl_fluxion_t *f) {
  const char *a = skip_ws(*s + 1), *end = a + strlen(a);
  while (end > a && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  const char *c2 = end;
  while (c2 > a && isdigit((unsigned char)c2[-1]))
    c2--;
  const char *c1 = c2 > a && c2[-1] == ':' ? c2 - 1 : NULL;
  const char *l2 = c1;
  while (l2 && l2 > a && isdigit((unsigned char)l2[-1]))
    l2--;
  if (!c1 || c2 == end || l2 == c1 || l2 - 1 <= a || l2[-1] != ':')
    FAIL(p, a, "expected file:line:col after '@'");
  f->origin_file = flxl_strndup(a, (size_t)(l2 - 1 - a));
  f->origin_line = atoi(l2);
  f->origin_col = atoi(c2);
  *s = end;
}

static flxl_fluxion_t *new_item(parser_t *p) {
  flxl_program_t *prog = p->prog;
  prog->items = realloc(prog->items, (prog->n + 1) * sizeof *prog->items);
  if (prog->items == NULL)
    abort();
  flxl_fluxion_t *f = &prog->items[prog->n++];
  memset(f, 0, sizeof *f);
  f->line = p->line;
  return f;
}

/* flx id tags? ctx? origin? */
static void read_header(parser_t *p, const char *s) {
  flxl_fluxion_t *f = new_item(p);
  const char *after_kw = s + 3;
  s = skip_ws(after_kw);
  if (s == after_kw && *s)
    FAIL(p, s, "expected a space after 'flx'");
  f->name = read_id(p, &s, "a fluxion name after 'flx'");
  s = skip_ws(s);
  if (*s == '&') {
    s++;
    read_list(p, &s, &f->tags, "a group name after '&'");
  }
  s = skip_ws(s);
  if (*s == '{')
    read_ctx(p, &s, f);
  s = skip_ws(s);
  if (*s == '@')
    read_origin(p, &s, f);
  s = skip_ws(s);
  if (*s)
    FAIL(p, s, "unexpected '%c' in the header of fluxion %s", *s, f->name);
}

/* group id origin? */
static void read_group_header(parser_t *p, const char *s) {
  flxl_fluxion_t *f = new_item(p);
  f->item = FLXL_GROUP_CODE;
  s = skip_ws(s + 5);
  f->name = read_id(p, &s, "a group name after 'group'");
  s = skip_ws(s);
  if (*s == '@')
    read_origin(p, &s, f);
  s = skip_ws(s);
  if (*s)
    FAIL(p, s, "unexpected '%c' in the header of group %s", *s, f->name);
}

/* (>> | ->) dest (',' dest)* ('[' msg ']')?  |  -> null */
static void read_stream(parser_t *p, const char *s, flxl_fluxion_t *f) {
  const char *start = s;
  flxl_kind_t kind = s[0] == '>' ? FLXL_START : FLXL_POST;
  s = skip_ws(s + 2);
  if (f->sends_nothing)
    FAIL(p, start, "fluxion %s already sends nothing ('-> null')", f->name);
  if (kind == FLXL_POST && strncmp(s, "null", 4) == 0 && !id_char((unsigned char)s[4])) {
    if (f->nstreams)
      FAIL(p, start, "'-> null' cannot follow other streams of fluxion %s", f->name);
    f->sends_nothing = true;
    s = skip_ws(s + 4);
  } else {
    f->streams = realloc(f->streams, (f->nstreams + 1) * sizeof *f->streams);
    if (f->streams == NULL)
      abort();
    flxl_stream_t *st = &f->streams[f->nstreams++];
    memset(st, 0, sizeof *st);
    st->kind = kind;
    st->line = p->line;
    read_list(p, &s, &st->dest, "a destination fluxion");
    s = skip_ws(s);
    if (*s == '[') {
      s++;
      read_list(p, &s, &st->msg, "a message variable");
      if (*s != ']')
        FAIL(p, s, "expected ']' after the message variables");
      s++;
    }
  }
  s = skip_ws(s);
  if (*s)
    FAIL(p, s, "unexpected '%c' after the stream", *s);
}

/* ---- bodies and their placeholders ----------------------------------- */

static bool word_is(const char *a, const char *b, const char *w) {
  return (size_t)(b - a) == strlen(w) && strncmp(a, w, (size_t)(b - a)) == 0;
}

/* After this word, an expression may begin. */
static bool expr_keyword(const char *a, const char *b) {
  static const char *const kws[] = {"return", "typeof", "case", "yield", "await", "new",
                                    "delete", "void", "in", "of", "instanceof", "else",
                                    "do", "throw", NULL};
  for (int i = 0; kws[i]; i++)
    if (word_is(a, b, kws[i]))
      return true;
  return false;
}

static void add_hole(flxl_fluxion_t *f, size_t off, size_t len, flxl_kind_t kind,
                     char *dest) {
  f->holes = realloc(f->holes, (f->nholes + 1) * sizeof *f->holes);
  if (f->holes == NULL)
    abort();
  f->holes[f->nholes++] = (flxl_hole_t){off, len, kind, dest};
}

/* The .flx line and column of a body offset. */
static void body_pos(const flxl_fluxion_t *f, size_t off, int *line, int *col) {
  *line = f->body_line;
  size_t bol = 0;
  for (size_t i = 0; i < off; i++)
    if (f->body[i] == '\n') {
      (*line)++;
      bol = i + 1;
    }
  *col = (int)(off - bol) + 3;   /* the two spaces of indentation, 1-based */
}

/* A small JavaScript scanner: enough to skip strings, template literals,
 * comments and regular expressions, and to know where an expression may
 * begin, which is where `>> x` and `-> x` are placeholders. */
static void scan_holes(parser_t *p, flxl_fluxion_t *f) {
  const char *b = f->body, *c = b;
  bool expr_start = true;
  while (*c) {
    if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
      c++;
    } else if (c[0] == '/' && c[1] == '/') {
      while (*c && *c != '\n')
        c++;
    } else if (c[0] == '/' && c[1] == '*') {
      const char *e = strstr(c + 2, "*/");
      c = e ? e + 2 : c + strlen(c);
    } else if (*c == '\'' || *c == '"' || *c == '`' || (*c == '/' && expr_start)) {
      char q = *c;
      bool in_class = false;
      for (c++; *c && (*c != q || in_class); c++) {
        if (*c == '\\' && c[1])
          c++;
        else if (q == '/' && *c == '[')
          in_class = true;
        else if (q == '/' && *c == ']')
          in_class = false;
        else if (q != '`' && *c == '\n')
          break;   /* not a string after all: leave it to JavaScript */
      }
      if (*c == q)
        c++;
      while (q == '/' && isalpha((unsigned char)*c))
        c++;   /* flags */
      expr_start = false;
    } else if (expr_start && ((c[0] == '>' && c[1] == '>' && c[2] != '>' && c[2] != '=') ||
                              (c[0] == '-' && c[1] == '>'))) {
      flxl_kind_t kind = c[0] == '>' ? FLXL_START : FLXL_POST;
      const char *a = c, *n = c + 2;
      while (*n == ' ' || *n == '\t')
        n++;
      const char *ne = n;
      while (id_char((unsigned char)*ne))
        ne++;
      int line, col;
      body_pos(f, (size_t)(a - b), &line, &col);
      if (ne == n || !id_start((unsigned char)*n))
        fail_at(p, line, col, "expected a fluxion name after '%.2s'", a);
      char *dest = flxl_strndup(n, (size_t)(ne - n));
      add_hole(f, (size_t)(a - b), (size_t)(ne - a), kind, dest);
      bool found = false;
      for (size_t i = 0; i < f->nstreams && !found; i++)
        for (size_t k = 0; k < f->streams[i].dest.n && !found; k++)
          found = f->streams[i].kind == kind && strcmp(f->streams[i].dest.items[k], dest) == 0;
      if (!found)
        fail_at(p, line, col, "'%s %s' is not a stream of fluxion %s",
                kind == FLXL_START ? ">>" : "->", dest, f->name);
      c = ne;
      expr_start = false;
    } else if (id_char((unsigned char)*c)) {
      const char *a = c;
      while (id_char((unsigned char)*c) || *c == '.')
        c++;
      expr_start = expr_keyword(a, c);
    } else {
      /* Punctuation: after ')' ']' an expression has ended; after '++'/'--'
       * the operand came first; after the others one may begin. */
      if ((c[0] == '+' && c[1] == '+') || (c[0] == '-' && c[1] == '-')) {
        c += 2;
        expr_start = false;
        continue;
      }
      if (c[0] == '>') {   /* > >> >>> >= >>= >>>=: one operator, not '>' then '>> x' */
        while (*c == '>')
          c++;
        if (*c == '=')
          c++;
        expr_start = true;
        continue;
      }
      expr_start = !(*c == ')' || *c == ']');
      c++;
    }
  }
}

/* Collects the indented lines that follow, without their two spaces. */
static void read_body(parser_t *p, flxl_fluxion_t *f, size_t *at) {
  char *buf = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&buf, &size);
  int blank_run = 0;
  bool any = false;         /* a line was kept (size is only known at fclose) */
  f->body_line = p->line + 1;
  while (*at < p->len) {
    size_t end = *at;
    while (end < p->len && p->text[end] != '\n')
      end++;
    const char *l = p->text + *at;
    size_t n = end - *at;
    bool blank = true;
    for (size_t i = 0; i < n; i++)
      blank = blank && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r');
    if (!blank && l[0] != ' ' && l[0] != '\t')
      break;   /* column 0: the next item */
    p->line++;
    p->line_start = *at;
    p->line_end = end;
    *at = end < p->len ? end + 1 : end;
    if (blank) {
      blank_run++;
      continue;
    }
    if (n < 2 || l[0] != ' ' || l[1] != ' ') {
      fclose(out);
      free(buf);
      fail_at(p, p->line, 1, "body lines are indented by two spaces");
    }
    if (!any)   /* leading blank lines are not kept */
      f->body_line += blank_run;
    else
      for (; blank_run; blank_run--)
        fputc('\n', out);
    blank_run = 0;
    any = true;
    fwrite(l + 2, 1, n - 2, out);
    fputc('\n', out);
  }
  fclose(out);
  f->body = buf;
}

/* ---- items ------------------------------------------------------------ */

static bool group_exists(const flxl_program_t *prog, const char *name) {
  for (size_t i = 0; i < prog->n; i++)
    for (size_t t = 0; prog->items[i].item == FLXL_FLUXION && t < prog->items[i].tags.n; t++)
      if (strcmp(prog->items[i].tags.items[t], name) == 0)
        return true;
  return false;
}

static void check_program(parser_t *p) {
  flxl_program_t *prog = p->prog;
  for (size_t i = 0; i < prog->n; i++) {
    flxl_fluxion_t *f = &prog->items[i];
    if (f->item == FLXL_GROUP_CODE && !group_exists(prog, f->name))
      fail_at(p, f->line, 7, "group %s has no fluxion", f->name);
    if (f->item != FLXL_FLUXION)
      continue;
    for (size_t j = 0; j < i; j++)
      if (prog->items[j].item == FLXL_FLUXION && strcmp(prog->items[j].name, f->name) == 0)
        fail_at(p, f->line, 5, "fluxion %s is already defined on line %d", f->name,
                prog->items[j].line);
    for (size_t s = 0; s < f->nstreams; s++)
      for (size_t d = 0; d < f->streams[s].dest.n; d++)
        if (flxl_find(prog, f->streams[s].dest.items[d]) == NULL)
          fail_at(p, f->streams[s].line, 4, "stream to %s, which is no fluxion of this program",
                  f->streams[s].dest.items[d]);
    scan_holes(p, f);
  }
}

int flxl_parse(const char *file, const char *text, size_t len, flxl_program_t *out,
               flxl_error_t *err) {
  parser_t p = {.file = file, .text = text, .len = len, .prog = out, .err = err};
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  if (setjmp(p.fail)) {
    free(p.scratch);
    flxl_program_free(out);
    return -1;
  }
  size_t at = 0;
  flxl_fluxion_t *cur = NULL;
  bool in_streams = false;
  while (at < len) {
    size_t end = at;
    while (end < len && text[end] != '\n')
      end++;
    p.line++;
    p.line_start = at;
    p.line_end = end;
    char *line = p.scratch = flxl_strndup(text + at, end - at);
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
      line[n - 1] = '\0';
    at = end < len ? end + 1 : end;
    const char *s = line;
    if (*skip_ws(s) == '\0') {
      in_streams = false;
    } else if (strncmp(s, "flx", 3) == 0 && !id_char((unsigned char)s[3])) {
      read_header(&p, s);
      cur = &out->items[out->n - 1];
      in_streams = true;
    } else if (strcmp(s, "replicated") == 0) {
      cur = new_item(&p);
      cur->item = FLXL_REPLICATED;
      in_streams = false;
      read_body(&p, cur, &at);
    } else if (strncmp(s, "group", 5) == 0 && (s[5] == ' ' || s[5] == '\t')) {
      read_group_header(&p, s);
      cur = &out->items[out->n - 1];
      in_streams = false;
      read_body(&p, cur, &at);
    } else if ((s[0] == '>' && s[1] == '>') || (s[0] == '-' && s[1] == '>')) {
      if (!in_streams)
        FAIL(&p, s, "a stream must follow its fluxion's header");
      read_stream(&p, s, cur);
    } else if (*s == ' ' || *s == '\t') {
      if (cur == NULL)
        FAIL(&p, s, "JavaScript outside a fluxion");
      if (cur->body)
        FAIL(&p, s, "the body of fluxion %s was already given", cur->name);
      at = p.line_start;   /* re-read this line as the body's first */
      p.line--;
      in_streams = false;
      read_body(&p, cur, &at);
    } else {
      FAIL(&p, s, "expected 'flx', 'replicated', 'group', a stream or an indented body");
    }
    free(line);
    p.scratch = NULL;
  }
  for (size_t i = 0; i < out->n; i++)
    if (out->items[i].body == NULL)
      out->items[i].body = flxl_strndup("", 0);
  check_program(&p);
  return 0;
}

const flxl_fluxion_t *flxl_find(const flxl_program_t *p, const char *name) {
  for (size_t i = 0; i < p->n; i++)
    if (p->items[i].item == FLXL_FLUXION && strcmp(p->items[i].name, name) == 0)
      return &p->items[i];
  return NULL;
}

static void list_free(flxl_list_t *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->items[i]);
  free(l->items);
}

void flxl_program_free(flxl_program_t *prog) {
  for (size_t i = 0; i < prog->n; i++) {
    flxl_fluxion_t *f = &prog->items[i];
    free(f->name);
    list_free(&f->tags);
    for (size_t k = 0; k < f->nctx; k++) {
      free(f->ctx[k].name);
      free(f->ctx[k].init);
    }
    free(f->ctx);
    free(f->origin_file);
    for (size_t k = 0; k < f->nstreams; k++) {
      list_free(&f->streams[k].dest);
      list_free(&f->streams[k].msg);
    }
    free(f->streams);
    free(f->body);
    for (size_t k = 0; k < f->nholes; k++)
      free(f->holes[k].dest);
    free(f->holes);
  }
  free(prog->items);
  memset(prog, 0, sizeof *prog);
}

void flxl_error_print(const flxl_error_t *e, FILE *out) {
  fprintf(out, "%s:%d:%d: error: %s\n%s\n", e->file, e->line, e->col, e->message,
          e->source_line ? e->source_line : "");
  for (int i = 1; i < e->col; i++)   /* keep tabs, so the caret lines up */
    fputc(e->source_line && e->source_line[i - 1] == '\t' ? '\t' : ' ', out);
  fputs("^\n", out);
}

void flxl_error_free(flxl_error_t *e) {
  free(e->file);
  free(e->message);
  free(e->source_line);
  memset(e, 0, sizeof *e);
}
