/* main.c — the flx command: dispatches subcommands, prints usage. */
#include "flx.h"
#include "../lang/flxl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command_s {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *usage;
} command_t;

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_check(int argc, char **argv);

static const command_t commands[] = {
  {"check", cmd_check, "flx check FILE.flx       parse a fluxional program, print it canonically"},
  {"help", cmd_help, "flx help                 this text"},
  {"version", cmd_version, "flx version              the version of flx"},
};

/* Reads a whole file; NULL (with errno) if it cannot. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (cap - n < 4096)
      buf = realloc(buf, cap = cap * 2 + 4096);
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
  } while (got > 0);
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

static int cmd_check(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: flx check FILE.flx\n");
    return 2;
  }
  size_t len;
  char *text = read_file(argv[1], &len);
  if (text == NULL) {
    fprintf(stderr, "flx: cannot read %s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  flxl_program_t prog;
  flxl_error_t err;
  if (flxl_parse(argv[1], text, len, &prog, &err) != 0) {
    flxl_error_print(&err, stderr);
    flxl_error_free(&err);
    free(text);
    return 2;
  }
  char *out = flxl_print(&prog);
  fputs(out, stdout);
  free(out);
  flxl_program_free(&prog);
  free(text);
  return 0;
}

static int cmd_version(int argc, char **argv) {
  (void)argc; (void)argv;
  printf("flx %s\n", FLX_VERSION);
  return 0;
}

static int cmd_help(int argc, char **argv) {
  (void)argc; (void)argv;
  printf("flx — run single-threaded event-driven programs on every core\n\nusage:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    printf("  %s\n", commands[i].usage);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    cmd_help(argc, argv);
    return 2;
  }
  const char *name = argv[1];
  if (strcmp(name, "--version") == 0)
    name = "version";
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
    name = "help";
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(commands[i].name, name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "flx: unknown command '%s' (see 'flx help')\n", argv[1]);
  return 2;
}
