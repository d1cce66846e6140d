/* main.c — the flx command: dispatches subcommands, prints usage. */
#include "flx.h"
#include "../compiler/flxc.h"
#include "../js/host.h"
#include "../lang/flxl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct command_s {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *usage;
} command_t;

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_compile(int argc, char **argv);
static int cmd_run(int argc, char **argv);

static const command_t commands[] = {
  {"run", cmd_run, "flx run PROGRAM.flx|APP.js [--workers N] [--stats] [--explain]\n"
                   "                           run a program on every core (an app is compiled first)"},
  {"compile", cmd_compile, "flx compile APP.js [-o FILE.flx] [--json] [--graph dot|svg] [--explain]\n"
                           "                           [--async FILE]\n"
                           "                           compile a Node.js program into a fluxional program"},
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

/* One compilation: every phase's output, kept until compilation_close. */
typedef struct compilation_s {
  flxc_async_t extra;
  flxc_unit_t unit;
  flxc_scopes_t *scopes;
  flxc_analysis_t analysis;
  flxc_pipeline_t pipeline;
} compilation_t;

static void print_error(flxl_error_t *err) {
  if (err->line)
    flxl_error_print(err, stderr);
  else
    fprintf(stderr, "flx: %s\n", err->message);
  flxl_error_free(err);
}

/* Compiles app (with its package.json's and async_file's asynchronous
 * callees); its warnings go to stderr. -1 after printing the error. */
static int compilation_open(compilation_t *c, const char *app, const char *async_file) {
  flxl_error_t err;
  memset(c, 0, sizeof *c);
  if (flxc_async_from_package(&c->extra, app, &err) != 0 ||
      (async_file && flxc_async_load(&c->extra, async_file, &err) != 0) ||
      flxc_parse_app(app, &c->unit, &err) != 0) {
    print_error(&err);
    flxc_async_free(&c->extra);
    return -1;
  }
  c->scopes = flxc_scope_analyze(&c->unit);
  flxc_analyze(&c->unit, c->scopes, &c->extra, &c->analysis);
  flxc_pipeline(&c->unit, c->scopes, &c->analysis, &c->pipeline);
  flxc_emit_warnings(&c->pipeline, stderr);
  return 0;
}

static char *compilation_text(const compilation_t *c) {
  flxl_program_t prog;
  flxc_emit_flx(&c->pipeline, &prog);
  char *text = flxl_print(&prog);
  flxl_program_free(&prog);
  return text;
}

static void compilation_close(compilation_t *c) {
  flxc_pipeline_free(&c->pipeline);
  flxc_analysis_free(&c->analysis);
  flxc_scope_free(c->scopes);
  flxc_unit_free(&c->unit);
  flxc_async_free(&c->extra);
}

/* APP.js → the text of its fluxional program (warnings on stderr, and what
 * runs where if explain). */
static int compile_to_flx(const char *app, bool explain, char **out) {
  compilation_t c;
  if (compilation_open(&c, app, NULL) != 0)
    return -1;
  if (explain)
    flxc_emit_explain(&c.pipeline, stderr);
  *out = compilation_text(&c);
  compilation_close(&c);
  return 0;
}

static int cmd_run(int argc, char **argv) {
  const char *file = NULL;
  int workers = 0;
  bool stats = false, explain = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
      workers = atoi(argv[++i]);
    else if (strcmp(argv[i], "--stats") == 0)
      stats = true;
    else if (strcmp(argv[i], "--explain") == 0)
      explain = true;
    else if (argv[i][0] != '-' && file == NULL)
      file = argv[i];
    else {
      fprintf(stderr, "flx run: unexpected argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (file == NULL || workers < 0) {
    fprintf(stderr, "usage: flx run PROGRAM.flx|APP.js [--workers N] [--stats] [--explain]\n");
    return 2;
  }
  size_t len;
  char *text;
  size_t flen = strlen(file);
  if (flen < 4 || strcmp(file + flen - 4, ".flx") != 0) {
    /* A JavaScript application: compiled in memory, its warnings shown once. */
    if (compile_to_flx(file, explain, &text) != 0)
      return 2;
    len = strlen(text);
  } else if (explain) {
    fprintf(stderr, "flx run: --explain needs the application (APP.js); "
                    "a .flx program already says its groups in its headers\n");
    return 2;
  } else if ((text = read_file(file, &len)) == NULL) {
    fprintf(stderr, "flx: cannot read %s: %s\n", file, strerror(errno));
    return 2;
  }
  flx_js_host_t *host;
  flxl_error_t err;
  int rc = flx_js_host_new(&host, file, text, len, workers, &err);
  free(text);
  if (rc != 0) {
    if (rc == -1) {
      flxl_error_print(&err, stderr);
      flxl_error_free(&err);
    } else {
      fprintf(stderr, "flx: %s\n", flx_strerror(rc));
    }
    return 2;
  }
  int code = flx_js_host_run(host);
  if (stats)
    flx_stats_print(host->rt, stdout);
  flx_js_host_free(host);
  return code;
}

/* Writes the graph through Graphviz's dot as SVG to fd. */
static int render_svg(const flxc_pipeline_t *p, int fd) {
  int pipefd[2];
  if (pipe(pipefd) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[0], 0);
    dup2(fd, 1);
    close(pipefd[0]);
    close(pipefd[1]);
    execlp("dot", "dot", "-Tsvg", (char *)NULL);
    perror("flx: cannot run Graphviz's dot");
    _exit(127);
  }
  close(pipefd[0]);
  FILE *to = fdopen(pipefd[1], "w");
  flxc_emit_dot(p, to);
  fclose(to);
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmd_compile(int argc, char **argv) {
  const char *app = NULL, *outpath = NULL, *graph = NULL, *async_file = NULL;
  bool json = false, explain = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      outpath = argv[++i];
    else if (strcmp(argv[i], "--json") == 0)
      json = true;
    else if (strcmp(argv[i], "--explain") == 0)
      explain = true;
    else if (strcmp(argv[i], "--graph") == 0 && i + 1 < argc)
      graph = argv[++i];
    else if (strcmp(argv[i], "--async") == 0 && i + 1 < argc)
      async_file = argv[++i];
    else if (argv[i][0] != '-' && app == NULL)
      app = argv[i];
    else {
      fprintf(stderr, "flx compile: unexpected argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (app == NULL || (graph && strcmp(graph, "dot") != 0 && strcmp(graph, "svg") != 0)) {
    fprintf(stderr, "usage: flx compile APP.js [-o FILE.flx] [--json] [--graph dot|svg] "
                    "[--explain] [--async FILE]\n");
    return 2;
  }
  compilation_t c;
  if (compilation_open(&c, app, async_file) != 0)
    return 2;

  int rc = 0;
  FILE *out = stdout;
  if (outpath && strcmp(outpath, "-") == 0)
    outpath = NULL;   /* -o -: standard output, as usual */
  if (outpath && (out = fopen(outpath, "w")) == NULL) {
    fprintf(stderr, "flx: cannot write %s: %s\n", outpath, strerror(errno));
    rc = 2;
  } else if (explain) {
    flxc_emit_explain(&c.pipeline, out);
  } else if (json) {
    flxc_emit_json(&c.pipeline, out);
  } else if (graph && strcmp(graph, "dot") == 0) {
    flxc_emit_dot(&c.pipeline, out);
  } else if (graph) {
    fflush(out);
    if (render_svg(&c.pipeline, fileno(out)) != 0)
      rc = 1;
  } else {
    char *text = compilation_text(&c);
    fputs(text, out);
    free(text);
  }
  if (out && out != stdout)
    fclose(out);
  compilation_close(&c);
  return rc;
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
