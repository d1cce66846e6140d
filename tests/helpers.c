/* helpers.c — what the tests share: a runtime on a background thread, a
 * blocking TCP client with time limits, and a small HTTP response reader. */
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

struct bg_runtime_s {
  flx_runtime_t *rt;
  uv_thread_t thread;
};

static void bg_main(void *arg) {
  bg_runtime_t *bg = arg;
  ASSERT_OK(flx_runtime_run(bg->rt));
}

bg_runtime_t *bg_start(flx_runtime_t *rt) {
  bg_runtime_t *bg = calloc(1, sizeof *bg);
  bg->rt = rt;
  ASSERT_OK(uv_thread_create(&bg->thread, bg_main, bg));
  return bg;
}

void bg_wait(bg_runtime_t *bg) {
  ASSERT_OK(uv_thread_join(&bg->thread));
  free(bg);
}

void bg_stop(bg_runtime_t *bg) {
  flx_runtime_stop(bg->rt);
  bg_wait(bg);
}

void sleep_ms(unsigned ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
    ;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void burn_us(unsigned us) {
  uint64_t end = now_ns() + (uint64_t)us * 1000u;
  volatile unsigned x = 0;
  while (now_ns() < end)
    for (int i = 0; i < 100; i++)
      x += (unsigned)i;
}

int tcp_connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT(fd >= 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  ASSERT_OK(connect(fd, (struct sockaddr *)&a, sizeof a));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void tcp_send(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    ASSERT(n > 0);
    p += n;
    len -= (size_t)n;
  }
}

/* Reads into *buf until stop(buf) says so, the peer closes, or the time is up. */
static char *recv_while(int fd, int timeout_ms, size_t *len,
                        bool (*stop)(const char *, size_t, const void *),
                        const void *arg) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;
  buf[0] = '\0';
  while (!(stop && stop(buf, n, arg))) {
    int64_t left = (int64_t)(deadline - now_ns()) / 1000000;
    if ((int64_t)(deadline - now_ns()) <= 0)
      break;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, (int)(left > 0 ? left : 1)) <= 0)
      continue;
    if (cap - n < 65537) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
    ssize_t got = recv(fd, buf + n, cap - n - 1, 0);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    n += (size_t)got;
    buf[n] = '\0';
  }
  if (len)
    *len = n;
  return buf;
}

static bool has(const char *buf, size_t n, const void *needle) {
  (void)n;
  return strstr(buf, needle) != NULL;
}

char *tcp_recv_until(int fd, const char *until, int timeout_ms, size_t *len) {
  return recv_while(fd, timeout_ms, len, has, until);
}

char *tcp_recv_all(int fd, int timeout_ms, size_t *len) {
  return recv_while(fd, timeout_ms, len, NULL, NULL);
}

/* Whether buf holds one whole response. */
static bool response_done(const char *buf, size_t n, const void *arg) {
  (void)arg;
  const char *end = strstr(buf, "\r\n\r\n");
  if (end == NULL)
    return false;
  size_t head = (size_t)(end - buf) + 4;
  const char *cl = strcasestr(buf, "\r\ncontent-length:");
  if (cl && cl < end)
    return n >= head + strtoul(cl + 17, NULL, 10);
  const char *te = strcasestr(buf, "\r\ntransfer-encoding: chunked");
  if (te && te < end)
    return strstr(end + 4, "\r\n0\r\n\r\n") != NULL || strncmp(end + 4, "0\r\n\r\n", 5) == 0;
  return strncmp(buf, "HTTP/1.1 204", 12) == 0 || strncmp(buf, "HTTP/1.1 304", 12) == 0;
}

char *http_recv_response(int fd, int timeout_ms) {
  return recv_while(fd, timeout_ms, NULL, response_done, NULL);
}

size_t count_of(const char *hay, const char *needle) {
  size_t n = 0, len = strlen(needle);
  for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle))
    n++;
  return n;
}
