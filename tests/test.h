/* test.h — assertions and helpers for flx's C tests. Assertions print the
 * expression and both values and abort; they are not assert(), so NDEBUG
 * cannot remove them. */
#ifndef FLX_TEST_H
#define FLX_TEST_H

#include "flx.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_IMPL(name) int test_##name(void);                            \
  int test_##name(void)

#define FAIL(...)                                                          \
  do {                                                                     \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                        \
    fprintf(stderr, __VA_ARGS__);                                          \
    fputc('\n', stderr);                                                   \
    abort();                                                               \
  } while (0)

#define ASSERT(expr)                                                       \
  do { if (!(expr)) FAIL("assertion failed: %s", #expr); } while (0)

#define ASSERT_INT(a, op, b)                                               \
  do {                                                                     \
    long long a_ = (long long)(a), b_ = (long long)(b);                    \
    if (!(a_ op b_))                                                       \
      FAIL("%s %s %s: %lld vs %lld", #a, #op, #b, a_, b_);                 \
  } while (0)
#define ASSERT_EQ(a, b) ASSERT_INT(a, ==, b)
#define ASSERT_OK(a) ASSERT_INT(a, ==, 0)
#define ASSERT_STR_EQ(a, b)                                                \
  do {                                                                     \
    const char *a_ = (a), *b_ = (b);                                       \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                   \
      FAIL("%s == %s: \"%s\" vs \"%s\"", #a, #b, a_ ? a_ : "(null)",       \
           b_ ? b_ : "(null)");                                            \
  } while (0)
#define ASSERT_CONTAINS(hay, needle)                                       \
  do {                                                                     \
    const char *h_ = (hay), *n_ = (needle);                                \
    if (h_ == NULL || strstr(h_, n_) == NULL)                              \
      FAIL("%s does not contain \"%s\": \"%s\"", #hay, n_, h_ ? h_ : "(null)"); \
  } while (0)

/* helpers.c */
typedef struct bg_runtime_s bg_runtime_t;
/* Runs flx_runtime_run on a thread of its own. */
bg_runtime_t *bg_start(flx_runtime_t *rt);
/* Stops it and waits for flx_runtime_run to return. */
void bg_stop(bg_runtime_t *bg);
void bg_wait(bg_runtime_t *bg);   /* waits without asking it to stop */

int tcp_connect(int port);
/* Sends all of buf. */
void tcp_send(int fd, const void *buf, size_t len);
/* Reads until `until` appears, the peer closes, or timeout_ms passes;
 * returns the bytes read (NUL-terminated, caller frees) and their count. */
char *tcp_recv_until(int fd, const char *until, int timeout_ms, size_t *len);
/* Reads until the peer closes (or timeout); returns what was read. */
char *tcp_recv_all(int fd, int timeout_ms, size_t *len);
/* Reads one whole HTTP response (head + Content-Length or chunked body). */
char *http_recv_response(int fd, int timeout_ms);
/* Count of non-overlapping occurrences of needle in hay. */
size_t count_of(const char *hay, const char *needle);
void sleep_ms(unsigned ms);
/* Busy work for about `us` microseconds of CPU. */
void burn_us(unsigned us);

#endif
