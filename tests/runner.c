/* runner.c — runs the tests of list.h, each in a child process with a time
 * limit, and ends with "N passed, N failed".
 *   run-tests                 every test
 *   run-tests --concurrency   the CONCURRENCY tests (for ThreadSanitizer)
 *   run-tests --list          names only
 *   run-tests NAME...         the named tests */
#include "test.h"
#include "list.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { UNIT, CONCURRENCY };

#define DECLARE(name, kind) TEST_IMPL(name);
TEST_LIST(DECLARE)

typedef struct entry_s {
  const char *name;
  int (*fn)(void);
  int kind;
} entry_t;

static const entry_t tests[] = {
#define ENTRY(name, kind) {#name, test_##name, kind},
  TEST_LIST(ENTRY)
};
#define NTESTS (sizeof tests / sizeof *tests)

static int timeout_s(void) {
  const char *env = getenv("FLX_TEST_TIMEOUT");
  return env && atoi(env) > 0 ? atoi(env) : 120;
}

/* 0: passed; otherwise a description is printed. */
static int run_one(const entry_t *t) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 1;
  }
  if (pid == 0) {
    alarm((unsigned)timeout_s());
    exit(t->fn());   /* exit, not _exit: LeakSanitizer checks at exit */
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    ;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  if (WIFSIGNALED(status))
    printf("# %s: killed by signal %d%s\n", t->name, WTERMSIG(status),
           WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
  else
    printf("# %s: exit status %d\n", t->name, WEXITSTATUS(status));
  return 1;
}

static bool selected(const entry_t *t, int argc, char **argv, bool concurrency) {
  if (concurrency)
    return t->kind == CONCURRENCY;
  if (argc == 0)
    return true;
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], t->name) == 0)
      return true;
  return false;
}

int main(int argc, char **argv) {
  bool concurrency = false;
  int passed = 0, failed = 0, n = 0;
  argc--, argv++;
  if (argc && strcmp(argv[0], "--list") == 0) {
    for (size_t i = 0; i < NTESTS; i++)
      printf("%s\n", tests[i].name);
    return 0;
  }
  if (argc && strcmp(argv[0], "--concurrency") == 0) {
    concurrency = true;
    argc--, argv++;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (size_t i = 0; i < NTESTS; i++) {
    if (!selected(&tests[i], argc, argv, concurrency))
      continue;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int failed_now = run_one(&tests[i]);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%s %d - %s (%.2fs)\n", failed_now ? "not ok" : "ok", ++n,
           tests[i].name, secs);
    if (failed_now)
      failed++;
    else
      passed++;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
