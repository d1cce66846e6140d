/* flx.h — the one public header of libflx, the parallel fluxion runtime.
 *
 * A program is a set of fluxions (a handler plus its private context) that
 * exchange messages. The runtime runs them on N worker threads, each with its
 * own libuv loop, keeping the guarantees a single-threaded event loop gives:
 * the messages of a group run one at a time in arrival order (reads of a group
 * may overlap each other, never a write), and every message is delivered
 * exactly once. See docs/runtime.md for the model and the ownership rules.
 *
 * Conventions (libuv's): functions that can fail return 0 or a negative
 * FLX_E* code; objects the runtime allocates are freed by the runtime; a
 * handle passed to a callback is valid for the duration of that callback
 * unless the API says how to keep it (flx_*_ref).
 */
#ifndef FLX_H
#define FLX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FLX_VERSION "0.1.0"

/* ---- errors ---------------------------------------------------------- */

/* Error codes are negative errno values, so that codes from libuv and the
 * system pass through unchanged. XX(name, message). */
#define FLX_ERRNO_MAP(XX)                                                  \
  XX(EINVAL, "invalid argument")                                           \
  XX(ENOMEM, "not enough memory")                                          \
  XX(EEXIST, "already exists")                                             \
  XX(ENOENT, "no such entry")                                              \
  XX(EBUSY, "not allowed while the runtime is running")                    \
  XX(ECANCELED, "the runtime has stopped")                                 \
  XX(EPIPE, "the connection is closed")                                    \
  XX(EADDRINUSE, "address already in use")                                 \
  XX(EMSGSIZE, "message too large")                                        \
  XX(EALREADY, "already done")

enum {
#define FLX__ERR_ENUM(name, msg) FLX_##name = -name,
  FLX_ERRNO_MAP(FLX__ERR_ENUM)
#undef FLX__ERR_ENUM
};

const char *flx_strerror(int err);
const char *flx_err_name(int err);

/* ---- types ----------------------------------------------------------- */

typedef struct flx_runtime_s flx_runtime_t;
typedef struct flx_fluxion_s flx_fluxion_t;
typedef struct flx_group_s flx_group_t;
typedef struct flx_msg_s flx_msg_t;
typedef struct flx_ctx_s flx_ctx_t;
typedef struct flx_tcp_s flx_tcp_t;
typedef struct flx_listener_s flx_listener_t;
typedef struct flx_http_server_s flx_http_server_t;
typedef struct flx_http_req_s flx_http_req_t;

typedef void (*flx_handler_cb)(flx_ctx_t *ctx, flx_msg_t *msg);

/* A node of the runtime's run queues; private, embedded where tasks live. */
typedef struct flx__task_s {
  struct flx__task_s *next;
  unsigned type;
} flx__task_t;
typedef void (*flx_release_cb)(void *ref);

/* ---- runtime --------------------------------------------------------- */

/* Runs on a worker's own thread: at its start, before any message, or at
 * its end, after every message (e.g. to make and free a JS runtime there). */
typedef void (*flx_worker_cb)(flx_runtime_t *rt, int worker, void *data);

typedef struct flx_options_s {
  int workers;          /* 0: $FLX_WORKERS, else the number of cores */
  int handle_signals;   /* flx_runtime_run stops gracefully on SIGINT/SIGTERM */
  unsigned stop_timeout_ms; /* how long a stop waits for open requests; 0: 5000 */
  flx_worker_cb on_worker_start;
  flx_worker_cb on_worker_stop;
  /* With handle_signals, on SIGINT/SIGTERM (on the runtime's control thread):
   * nonzero means the application handles it and the runtime goes on (Node's
   * process.on('SIGTERM')); 0, or no callback, stops gracefully. */
  int (*on_signal)(flx_runtime_t *rt, int signum, void *data);
  /* Stop gracefully, as flx_runtime_stop, once nothing is left that could
   * make work: no message in flight, and on no worker a listener, an open
   * connection, a referenced timer or a pending request (Node.js exits when
   * its event loop is empty). Sends from threads outside the runtime are not
   * foreseen: the runtime may have stopped before they come. */
  int exit_when_idle;
  void *data;           /* given to the callbacks */
} flx_options_t;

int flx_runtime_new(flx_runtime_t **out, const flx_options_t *opts);
/* Starts the workers and blocks until flx_runtime_stop (or a signal, with
 * handle_signals) has stopped the runtime gracefully: listeners close, open
 * requests finish (bounded by stop_timeout_ms), every message already sent is
 * run, then the workers exit. Returns 0. SIGPIPE is ignored from then on,
 * as Node.js does: a vanished peer is a write error, not the end of the
 * process. */
int flx_runtime_run(flx_runtime_t *rt);
/* Asks the runtime to stop; callable from any thread, handlers included. */
void flx_runtime_stop(flx_runtime_t *rt);
/* Frees a runtime that is not running, with its fluxions and groups. */
void flx_runtime_free(flx_runtime_t *rt);
int flx_runtime_workers(const flx_runtime_t *rt);

/* ---- fluxions and groups --------------------------------------------- */

/* A group serialises its fluxions: one message at a time, in arrival order,
 * except that messages sent with FLX_READ overlap other reads. home < 0 lets
 * the group float between workers; home >= 0 pins it to that worker. */
int flx_group_new(flx_runtime_t *rt, const char *name, int home,
                  flx_group_t **out);

typedef struct flx_fluxion_options_s {
  void *context;        /* the fluxion's private state, given back in ctx */
  flx_group_t *group;   /* NULL: none (a private one if context is set) */
  unsigned ports;       /* > 1: a join firing on one token per port per tag */
} flx_fluxion_options_t;

/* Registers a fluxion under a unique name. With no group and no context it
 * is stateless: any worker may run it, many messages at once. */
int flx_fluxion_new(flx_runtime_t *rt, const char *name, flx_handler_cb handler,
                    const flx_fluxion_options_t *opts, flx_fluxion_t **out);
flx_fluxion_t *flx_fluxion_find(flx_runtime_t *rt, const char *name);
const char *flx_fluxion_name(const flx_fluxion_t *f);

/* ---- messages -------------------------------------------------------- */

enum flx_msg_kind {
  FLX_START = 0,        /* begins a new chain with a fresh tag */
  FLX_POST = 1          /* continues a chain, keeping its tag */
};

enum flx_access {
  FLX_WRITE = 0,        /* exclusive within the group (the default) */
  FLX_READ = 1          /* overlaps other reads of the group */
};

struct flx_msg_s {
  /* read-only for handlers */
  flx_fluxion_t *to;
  uint64_t tag;
  unsigned char kind;   /* enum flx_msg_kind */
  unsigned char access; /* enum flx_access */
  unsigned port;        /* the join port this token arrived on */
  void *ref;            /* a movable handle, passed by identity */
  const char *data;     /* payload, owned by the runtime; valid in the handler */
  size_t len;
  unsigned ntokens;     /* for a join: one token per port, in port order */
  flx_msg_t **tokens;
  /* private */
  flx_release_cb _release;
  flx__task_t _task;
};

/* Everything a send can say. ref is not copied: release (if set) is called
 * with it once the message has been handled or refused. */
typedef struct flx_send_s {
  flx_fluxion_t *to;
  unsigned char kind;   /* FLX_START or FLX_POST */
  unsigned char access; /* FLX_WRITE or FLX_READ */
  unsigned port;
  uint64_t tag;         /* FLX_POST only */
  const void *data;     /* copied */
  size_t len;
  void *ref;
  flx_release_cb release;
  unsigned char here;   /* 1: the message refers to the sending worker's own
                           memory: a fluxion outside any group runs it on that
                           worker and it is never stolen (from a handler only;
                           ignored elsewhere and for group members) */
  unsigned char now;    /* 1, with here, from a handler: a call made now (a
                           callback called back): it runs before what is
                           queued on this worker, after the calls made now
                           before it; to a group whose home this worker is, at
                           the front of its mailbox likewise */
} flx_send_t;

int flx_send(flx_runtime_t *rt, const flx_send_t *req);
/* New chain: a start message to `to`, with a copy of data. */
int flx_start(flx_runtime_t *rt, flx_fluxion_t *to, const void *data,
              size_t len);
/* Same chain: a post from inside a handler, keeping ctx's tag. */
int flx_post(flx_ctx_t *ctx, flx_fluxion_t *to, const void *data, size_t len);

/* What a handler knows of where it runs. */
flx_runtime_t *flx_ctx_runtime(const flx_ctx_t *ctx);
void *flx_ctx_context(const flx_ctx_t *ctx);
int flx_ctx_worker(const flx_ctx_t *ctx);
uint64_t flx_ctx_tag(const flx_ctx_t *ctx);
flx_fluxion_t *flx_ctx_fluxion(const flx_ctx_t *ctx);
/* A pointer of the caller's, one per worker (set in on_worker_start). */
void flx_worker_set_data(flx_runtime_t *rt, int worker, void *data);
void *flx_ctx_worker_data(const flx_ctx_t *ctx);

/* ---- timers ---------------------------------------------------------- */

typedef struct flx_timer_options_s {
  flx_fluxion_t *to;        /* each firing starts a message to it */
  uint64_t timeout_ms;      /* the first firing */
  uint64_t repeat_ms;       /* then every repeat_ms; 0: once */
  const void *data;         /* copied */
  size_t len;
  void *ref;                /* passed by identity with every message */
  flx_release_cb release;   /* called once, when the timer is done with ref */
} flx_timer_options_t;

/* Timers are named by id. A one-shot timer hands ref to its message (whose
 * handling releases it); a repeating one releases it when stopped. Stopping
 * a timer that has ended is harmless (FLX_ENOENT when the caller runs on the
 * timer's worker). Pending timers are dropped, and their refs released, when
 * the runtime stops. */
int flx_timer_start(flx_runtime_t *rt, const flx_timer_options_t *opts, uint64_t *id);
int flx_timer_stop(flx_runtime_t *rt, uint64_t id);
/* An unreferenced timer still fires, but does not keep a runtime with
 * exit_when_idle running (libuv's uv_unref; Node's timeout.unref()). */
int flx_timer_ref(flx_runtime_t *rt, uint64_t id, int ref);

/* ---- TCP ------------------------------------------------------------- */

/* Runs on the worker that owns conn, for each chunk read; len < 0 is the end
 * of the stream (FLX_EPIPE or a libuv error), after which conn is closing. */
typedef void (*flx_tcp_read_cb)(flx_tcp_t *conn, const char *data, ssize_t len);

typedef struct flx_tcp_options_s {
  const char *host;     /* NULL: 127.0.0.1 */
  int port;             /* 0: any free port, see flx_listener_port */
  flx_tcp_read_cb on_read; /* either a callback on the owning loop... */
  flx_fluxion_t *to;    /* ...or each chunk started as a message to `to`,
                           with the connection as ref */
  void *data;           /* user data, see flx_tcp_listener_data */
  size_t write_high_water; /* pause reading above this; 0: 1 MiB */
} flx_tcp_options_t;

/* Every worker accepts on host:port (SO_REUSEPORT); a connection belongs to
 * the worker that accepted it. */
int flx_tcp_listen(flx_runtime_t *rt, const flx_tcp_options_t *opts,
                   flx_listener_t **out);
int flx_listener_port(const flx_listener_t *l);
/* Stops accepting, on every worker; open connections stay. FLX_EALREADY the
 * second time. */
int flx_listener_close(flx_listener_t *l);
void *flx_tcp_listener_data(const flx_tcp_t *conn);

/* Callable from any thread; carried out on the owning loop. write copies;
 * close sends what was written before it, then closes. */
int flx_tcp_write(flx_tcp_t *conn, const void *data, size_t len);
int flx_tcp_close(flx_tcp_t *conn);
/* Stops or resumes reading (on: 0 or 1), e.g. while a slow consumer works. */
int flx_tcp_set_reading(flx_tcp_t *conn, int on);
/* A connection lives while referenced; the runtime holds one while open. */
void flx_tcp_ref(flx_tcp_t *conn);
void flx_tcp_unref(void *conn);   /* an flx_release_cb */
int flx_tcp_worker(const flx_tcp_t *conn);
flx_runtime_t *flx_tcp_runtime(const flx_tcp_t *conn);

/* ---- HTTP/1.1 -------------------------------------------------------- */

typedef struct flx_http_options_s {
  size_t max_header_bytes;   /* 0: 16 KiB; more → 431 */
  size_t max_body_bytes;     /* 0: 1 MiB; more → 413 */
  unsigned request_timeout_ms;   /* 0: 30 s; a request still incomplete → 408 */
  unsigned keepalive_timeout_ms; /* 0: 5 s idle; ~0u: never */
} flx_http_options_t;

typedef struct flx_http_header_s {
  const char *name;
  const char *value;
} flx_http_header_t;

int flx_http_server_new(flx_runtime_t *rt, const flx_http_options_t *opts,
                        flx_http_server_t **out);
/* Routes a method ("GET", or "*" for any) and a path pattern to a fluxion.
 * A pattern's segments are literal, ":name" (a parameter) or, last, "*"
 * (the rest of the path; a lone "*" matches everything). Each matching
 * request enters the fluxion as a start message whose ref is the
 * flx_http_req_t. First match wins; no match → 404. Routes are added before
 * listening. */
int flx_http_route(flx_http_server_t *srv, const char *method,
                   const char *pattern, flx_fluxion_t *to,
                   enum flx_access access);
int flx_http_listen(flx_http_server_t *srv, const char *host, int port);
int flx_http_port(const flx_http_server_t *srv);
/* Node's server.close(): stops accepting; idle connections close now, busy
 * ones after their answers (sent with Connection: close). */
int flx_http_close(flx_http_server_t *srv);

/* The request is immutable and readable from any worker. */
const char *flx_http_req_method(const flx_http_req_t *req);
const char *flx_http_req_url(const flx_http_req_t *req);    /* as sent */
const char *flx_http_req_path(const flx_http_req_t *req);   /* without query */
const char *flx_http_req_query(const flx_http_req_t *req);  /* after '?', or "" */
const char *flx_http_req_header(const flx_http_req_t *req, const char *name);
size_t flx_http_req_header_count(const flx_http_req_t *req);
flx_http_header_t flx_http_req_header_at(const flx_http_req_t *req, size_t i);
const char *flx_http_req_param(const flx_http_req_t *req, const char *name);
const char *flx_http_req_body(const flx_http_req_t *req, size_t *len);
const char *flx_http_req_remote(const flx_http_req_t *req);
int flx_http_req_worker(const flx_http_req_t *req);
/* How far the answer went, from any worker: 0 nothing sent, 1 the head
 * (a streamed answer goes on), 2 complete. */
int flx_http_req_answered(const flx_http_req_t *req);

/* A message's reference to its request ends when the handler returns; keep it
 * longer with ref/unref. A request whose last reference goes without an
 * answer is answered 500, so every request gets a response. */
void flx_http_req_ref(flx_http_req_t *req);
void flx_http_req_unref(void *req);

/* Responses, from any worker; pipelined responses leave in request order.
 * Content-Length, Date and Connection are added unless given. */
int flx_http_respond(flx_http_req_t *req, int status,
                     const flx_http_header_t *headers, size_t nheaders,
                     const void *body, size_t len);
/* Streaming: head, then any number of chunks (chunked encoding), then end. */
int flx_http_write_head(flx_http_req_t *req, int status,
                        const flx_http_header_t *headers, size_t nheaders);
int flx_http_write(flx_http_req_t *req, const void *data, size_t len);
int flx_http_end(flx_http_req_t *req);
/* The reason phrase of the answer's status line (Node's res.statusMessage),
 * copied; NULL: flx_http_status_text's. Before answering, from the thread
 * that answers. FLX_EALREADY once the status line is out. */
int flx_http_set_reason(flx_http_req_t *req, const char *reason);
const char *flx_http_status_text(int status);

/* ---- introspection --------------------------------------------------- */

typedef struct flx_worker_stats_s {
  uint64_t messages;    /* messages run on this worker */
  uint64_t stolen;      /* of which taken from another worker's queue */
  uint64_t queue_depth; /* tasks waiting now */
} flx_worker_stats_t;

int flx_worker_stats(flx_runtime_t *rt, int worker, flx_worker_stats_t *out);
size_t flx_fluxion_count(flx_runtime_t *rt);
flx_fluxion_t *flx_fluxion_at(flx_runtime_t *rt, size_t i);
uint64_t flx_fluxion_messages(const flx_fluxion_t *f, int worker);
/* One line per fluxion and worker: "fluxion NAME worker W messages M". */
void flx_stats_print(flx_runtime_t *rt, FILE *out);

#ifdef __cplusplus
}
#endif
#endif /* FLX_H */
