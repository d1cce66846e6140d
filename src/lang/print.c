/* print.c — prints a .flx program in canonical form (docs/flx-language.md). */
#include "flxl.h"

#include <stdlib.h>

static void print_list(FILE *out, const flxl_list_t *l) {
  for (size_t i = 0; i < l->n; i++)
    fprintf(out, "%s%s", i ? ", " : "", l->items[i]);
}

/* Each body line indented by two spaces; empty lines stay empty; trailing
 * blank lines dropped. */
static void print_body(FILE *out, const char *body) {
  const char *end = body;
  for (const char *c = body; *c; c++)
    if (*c != '\n' && *c != ' ' && *c != '\t')
      end = c + 1;
  for (const char *c = body; c < end;) {
    const char *eol = c;
    while (eol < end && *eol != '\n')
      eol++;
    if (eol > c)
      fprintf(out, "  %.*s", (int)(eol - c), c);
    fputc('\n', out);
    c = eol < end ? eol + 1 : eol;
  }
}

static void print_fluxion(FILE *out, const flxl_fluxion_t *f) {
  if (f->item == FLXL_REPLICATED) {
    fputs("replicated\n", out);
    print_body(out, f->body);
    return;
  }
  if (f->item == FLXL_GROUP_CODE) {
    fprintf(out, "group %s", f->name);
    if (f->origin_file)
      fprintf(out, " @ %s:%d:%d", f->origin_file, f->origin_line, f->origin_col);
    fputc('\n', out);
    print_body(out, f->body);
    return;
  }
  fprintf(out, "flx %s", f->name);
  if (f->tags.n) {
    fputs(" & ", out);
    print_list(out, &f->tags);
  }
  if (f->nctx) {
    fputs(" {", out);
    for (size_t i = 0; i < f->nctx; i++) {
      fprintf(out, "%s%s", i ? ", " : "", f->ctx[i].name);
      if (f->ctx[i].init)
        fprintf(out, " = %s", f->ctx[i].init);
      else if (f->ctx[i].from_main)
        fputs(" from main", out);
    }
    fputc('}', out);
  }
  if (f->origin_file)
    fprintf(out, " @ %s:%d:%d", f->origin_file, f->origin_line, f->origin_col);
  fputc('\n', out);
  if (f->sends_nothing)
    fputs("-> null\n", out);
  for (size_t i = 0; i < f->nstreams; i++) {
    const flxl_stream_t *s = &f->streams[i];
    fputs(s->kind == FLXL_START ? ">> " : "-> ", out);
    print_list(out, &s->dest);
    if (s->msg.n) {
      fputs(" [", out);
      print_list(out, &s->msg);
      fputc(']', out);
    }
    fputc('\n', out);
  }
  print_body(out, f->body);
}

char *flxl_print(const flxl_program_t *p) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  if (out == NULL)
    abort();
  for (size_t i = 0; i < p->n; i++) {
    if (i)
      fputc('\n', out);
    print_fluxion(out, &p->items[i]);
  }
  fclose(out);
  return text;
}
