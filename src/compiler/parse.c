/* parse.c — JavaScript source to a tree-sitter tree (tree-sitter-javascript
 * 0.23.1), and the first syntax error, if any, as file:line:col. */
#include "flxc.h"

#include <stdlib.h>
#include <string.h>

const TSLanguage *tree_sitter_javascript(void);


char *flxc_node_text(const flxc_unit_t *u, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  return flxl_strndup(u->src + a, b - a);
}

/* The first ERROR or MISSING node in source order. */
static bool first_error(TSNode n, TSNode *out) {
  if (!ts_node_has_error(n))
    return false;
  if (ts_node_is_missing(n) || strcmp(ts_node_type(n), "ERROR") == 0) {
    /* Prefer a more precise error inside an ERROR node. */
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k; i++)
      if (first_error(ts_node_child(n, i), out))
        return true;
    *out = n;
    return true;
  }
  uint32_t k = ts_node_child_count(n);
  for (uint32_t i = 0; i < k; i++)
    if (first_error(ts_node_child(n, i), out))
      return true;
  *out = n;
  return true;
}

static void syntax_error(const flxc_unit_t *u, TSNode n, flxl_error_t *err) {
  TSPoint p = ts_node_start_point(n);
  char msg[160];
  if (ts_node_is_missing(n)) {
    snprintf(msg, sizeof msg, "syntax error: missing '%s'", ts_node_type(n));
  } else {
    /* The token where parsing went wrong: up to the first blank, at most 20. */
    const char *at = u->src + ts_node_start_byte(n);
    size_t len = strcspn(at, " \t\r\n");
    if (len > 20)
      len = 20;
    if (len == 0)
      snprintf(msg, sizeof msg, "syntax error: unexpected end of input");
    else
      snprintf(msg, sizeof msg, "syntax error: unexpected '%.*s'", (int)len, at);
  }
  const char *line = u->src;
  for (uint32_t r = 0; r < p.row && line; r++) {
    line = strchr(line, '\n');
    if (line)
      line++;
  }
  if (line == NULL)
    line = u->src + u->len;
  err->file = flxl_strndup(u->path, strlen(u->path));
  err->line = (int)p.row + 1;
  err->col = (int)p.column + 1;
  err->message = flxl_strndup(msg, strlen(msg));
  err->source_line = flxl_strndup(line, strcspn(line, "\n"));
}

int flxc_parse_string(const char *path, const char *src, size_t len,
                      flxc_unit_t *out, flxl_error_t *err) {
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  out->path = flxl_strndup(path, strlen(path));
  out->src = flxl_strndup(src, len);
  out->len = len;
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_javascript());
  out->tree = ts_parser_parse_string(parser, NULL, out->src, (uint32_t)len);
  ts_parser_delete(parser);
  TSNode bad;
  if (first_error(ts_tree_root_node(out->tree), &bad)) {
    syntax_error(out, bad, err);
    flxc_unit_free(out);
    return -1;
  }
  return 0;
}

char *flxc_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 65536, n = 0, got;
  char *buf = malloc(cap);
  if (buf == NULL)
    abort();
  while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0)
    if ((n += got) + 1 == cap && (buf = realloc(buf, cap *= 2)) == NULL)
      abort();
  buf[n] = '\0';
  fclose(f);
  if (len)
    *len = n;
  return buf;
}

void flxc_unit_free(flxc_unit_t *u) {
  if (u->tree)
    ts_tree_delete(u->tree);
  for (size_t i = 0; i < u->nfiles; i++)
    free(u->files[i].path);
  free(u->files);
  free(u->path);
  free(u->src);
  memset(u, 0, sizeof *u);
}
