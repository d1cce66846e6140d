/* main.c — the flx command: dispatches subcommands, prints usage. */
#include "flx.h"

#include <stdio.h>
#include <string.h>

typedef struct command_s {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *usage;
} command_t;

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const command_t commands[] = {
  {"help", cmd_help, "flx help                 this text"},
  {"version", cmd_version, "flx version              the version of flx"},
};

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
