/* json.c — a small JSON reader, enough for an application's package.json:
 * objects, arrays, strings (with escapes), numbers, true, false, null. */
#include "internal.h"

#include <ctype.h>

typedef struct reader_s {
  const char *s;
  const char *start;
  const char *error;
} reader_t;

static flxc_json_t *node(flxc_json_kind_t kind) {
  flxc_json_t *j = calloc(1, sizeof *j);
  if (j == NULL)
    abort();
  j->kind = kind;
  return j;
}

static void ws(reader_t *r) {
  while (isspace((unsigned char)*r->s))
    r->s++;
}

static flxc_json_t *value(reader_t *r, int depth);

static char *string(reader_t *r) {
  size_t cap = 16, n = 0;
  char *out = malloc(cap);
  for (r->s++; *r->s != '"'; r->s++) {
    if (*r->s == '\0' || (unsigned char)*r->s < 0x20) {
      r->error = "unterminated string";
      free(out);
      return NULL;
    }
    char c = *r->s;
    if (c == '\\') {
      static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
      const char *e = strchr(from, *++r->s);
      if (*r->s == 'u' && isxdigit((unsigned char)r->s[1]) && isxdigit((unsigned char)r->s[2]) &&
          isxdigit((unsigned char)r->s[3]) && isxdigit((unsigned char)r->s[4])) {
        unsigned cp = (unsigned)strtoul((char[]){r->s[1], r->s[2], r->s[3], r->s[4], 0}, NULL, 16);
        r->s += 4;
        c = cp < 0x80 ? (char)cp : '?';   /* names in package.json are ASCII */
      } else if (e && *r->s) {
        c = to[e - from];
      } else {
        r->error = "bad escape in a string";
        free(out);
        return NULL;
      }
    }
    if (n + 2 > cap)
      out = realloc(out, cap *= 2);
    out[n++] = c;
  }
  r->s++;
  out[n] = '\0';
  return out;
}

static flxc_json_t *value(reader_t *r, int depth) {
  ws(r);
  if (depth > 64) {
    r->error = "nested too deeply";
    return NULL;
  }
  if (*r->s == '{' || *r->s == '[') {
    bool obj = *r->s == '{';
    flxc_json_t *j = node(obj ? FLXC_JSON_OBJECT : FLXC_JSON_ARRAY);
    r->s++;
    ws(r);
    if (*r->s == (obj ? '}' : ']')) {
      r->s++;
      return j;
    }
    for (;;) {
      ws(r);
      char *key = NULL;
      if (obj) {
        if (*r->s != '"' || (key = string(r)) == NULL) {
          r->error = r->error ? r->error : "expected a key";
          flxc_json_free(j);
          return NULL;
        }
        ws(r);
        if (*r->s++ != ':') {
          r->error = "expected ':'";
          free(key);
          flxc_json_free(j);
          return NULL;
        }
      }
      flxc_json_t *v = value(r, depth + 1);
      if (v == NULL) {
        free(key);
        flxc_json_free(j);
        return NULL;
      }
      v->key = key;
      PUSH(j->items, j->n, v);
      ws(r);
      if (*r->s == ',') {
        r->s++;
        continue;
      }
      if (*r->s++ == (obj ? '}' : ']'))
        return j;
      r->error = obj ? "expected ',' or '}'" : "expected ',' or ']'";
      flxc_json_free(j);
      return NULL;
    }
  }
  if (*r->s == '"') {
    char *s = string(r);
    if (s == NULL)
      return NULL;
    flxc_json_t *j = node(FLXC_JSON_STRING);
    j->string = s;
    return j;
  }
  static const struct { const char *word; flxc_json_kind_t kind; } words[] = {
    {"true", FLXC_JSON_TRUE}, {"false", FLXC_JSON_FALSE}, {"null", FLXC_JSON_NULL}};
  for (size_t i = 0; i < 3; i++)
    if (strncmp(r->s, words[i].word, strlen(words[i].word)) == 0) {
      r->s += strlen(words[i].word);
      return node(words[i].kind);
    }
  char *end;
  double d = strtod(r->s, &end);
  if (end != r->s && (*r->s == '-' || isdigit((unsigned char)*r->s))) {
    r->s = end;
    flxc_json_t *j = node(FLXC_JSON_NUMBER);
    j->number = d;
    return j;
  }
  r->error = "unexpected character";
  return NULL;
}

flxc_json_t *flxc_json_parse(const char *text, const char **error, size_t *offset) {
  reader_t r = {text, text, NULL};
  flxc_json_t *j = value(&r, 0);
  if (j) {
    ws(&r);
    if (*r.s) {
      r.error = "text after the value";
      flxc_json_free(j);
      j = NULL;
    }
  }
  if (j == NULL) {
    if (error)
      *error = r.error;
    if (offset)
      *offset = (size_t)(r.s - text);
  }
  return j;
}

const flxc_json_t *flxc_json_get(const flxc_json_t *obj, const char *key) {
  if (obj == NULL || obj->kind != FLXC_JSON_OBJECT)
    return NULL;
  for (size_t i = obj->n; i-- > 0;)   /* the last one wins, as in JavaScript */
    if (strcmp(obj->items[i]->key, key) == 0)
      return obj->items[i];
  return NULL;
}

void flxc_json_free(flxc_json_t *j) {
  if (j == NULL)
    return;
  for (size_t i = 0; i < j->n; i++)
    flxc_json_free(j->items[i]);
  free(j->items);
  free(j->key);
  free(j->string);
  free(j);
}
