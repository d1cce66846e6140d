/* internal.h — private to libflx: the runtime's structures and the functions
 * its files share (flx__ prefix).
 *
 * DESIGN — who touches what.
 * - A worker is a thread with its own uv_loop_t. Only that thread touches its
 *   loop and the uv handles on it (listeners, connections, timers). Other
 *   threads reach a worker by pushing a task onto its queues and ringing its
 *   doorbell (uv_async_send, which coalesces: each wake drains everything).
 * - Each worker has two queues under one mutex: runq (tasks any worker may
 *   steal: stateless messages, floating groups) and pinq (tasks that must run
 *   here: pinned groups, calls into this loop). depth/stealable mirror their
 *   lengths as atomics so thieves can look without locking.
 * - A group's mailbox has its own mutex. No code holds two locks at once: a
 *   group is scheduled after its lock is released, and a thief releases the
 *   victim's queue lock before taking its own.
 * - Counters that other threads read are atomics, written by their owner.
 */
#ifndef FLX_INTERNAL_H
#define FLX_INTERNAL_H

#include "flx.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <uv.h>

#define FLX__CONTAINER_OF(ptr, type, field)                                 \
  ((type *)((char *)(ptr) - offsetof(type, field)))

/* Tasks run per pass before the loop polls I/O again; bounds the latency
 * that a long queue adds to network events. */
#define FLX__BATCH 64

enum flx__task_type {
  FLX__TASK_MSG,        /* run one message */
  FLX__TASK_GROUP,      /* serve a group's mailbox */
  FLX__TASK_CALL        /* run a function on this worker's loop */
};

enum flx__state {
  FLX__NEW,             /* created, fluxions being registered */
  FLX__RUNNING,
  FLX__DRAINING,        /* listeners closed; open requests finishing */
  FLX__QUIESCING,       /* connections and timers closed; messages finishing */
  FLX__CLOSED,          /* sends refused, workers exiting */
};

/* ---- small containers ------------------------------------------------ */

typedef struct flx__fifo_s {
  flx__task_t *head;
  flx__task_t *tail;
  size_t len;
} flx__fifo_t;

void flx__fifo_push(flx__fifo_t *q, flx__task_t *t);
flx__task_t *flx__fifo_pop(flx__fifo_t *q);
/* Puts t right after `after`, a task in q, or at the head if after is NULL. */
void flx__fifo_insert(flx__fifo_t *q, flx__task_t *after, flx__task_t *t);

/* uint64 → pointer, open addressing; key 0 is reserved (empty). */
typedef struct flx__map_s {
  uint64_t *keys;
  void **vals;
  size_t cap;           /* a power of two, or 0 */
  size_t len;
} flx__map_t;

void *flx__map_get(const flx__map_t *m, uint64_t key);
int flx__map_put(flx__map_t *m, uint64_t key, void *val);
void *flx__map_del(flx__map_t *m, uint64_t key);
void flx__map_free(flx__map_t *m);

/* Intrusive doubly linked list, for the worker's connections. */
typedef struct flx__link_s {
  struct flx__link_s *prev;
  struct flx__link_s *next;
} flx__link_t;

static inline void flx__link_init(flx__link_t *head) {
  head->prev = head->next = head;
}
static inline void flx__link_insert(flx__link_t *head, flx__link_t *l) {
  l->next = head->next;
  l->prev = head;
  head->next->prev = l;
  head->next = l;
}
static inline void flx__link_remove(flx__link_t *l) {
  l->prev->next = l->next;
  l->next->prev = l->prev;
  l->prev = l->next = l;
}

void *flx__malloc(size_t n);    /* abort on exhaustion: see error.c */
void *flx__calloc(size_t n, size_t size);
void *flx__realloc(void *p, size_t n);
char *flx__strdup(const char *s);

/* ---- workers --------------------------------------------------------- */

typedef struct flx__worker_s flx__worker_t;
typedef struct flx__call_s flx__call_t;
typedef void (*flx__call_fn)(flx__worker_t *w, flx__call_t *call);

/* A function to run on a worker's loop; embedded in the caller's request,
 * which the function owns once it runs. */
struct flx__call_s {
  flx__task_t task;
  flx__call_fn fn;
  void (*drop)(flx__call_t *call);   /* frees it unrun (NULL: free()) */
};

struct flx__worker_s {
  flx_runtime_t *rt;
  int id;
  uv_thread_t thread;
  uv_loop_t loop;
  uv_async_t wake;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_idle_t idle;
  uv_timer_t recheck;       /* a sleeper's second look for work to steal */

  uv_mutex_t lock;          /* guards runq, pinq and nextq */
  flx__fifo_t runq;
  flx__fifo_t pinq;
  flx__fifo_t nextq;        /* calls made now by handlers here: run first */
  atomic_size_t depth;      /* runq.len + pinq.len + nextq.len */
  atomic_size_t stealable;  /* runq.len */
  atomic_int sleeping;      /* about to block in poll with nothing to do */
  atomic_uint_fast64_t task_start; /* uv_hrtime() the running task began; 0 */

  atomic_uint_fast64_t messages;
  atomic_uint_fast64_t stolen;

  /* Loop-thread only. */
  bool in_message;          /* a handler is running */
  void *data;               /* the user's: flx_worker_set_data */
  flx__map_t timers;        /* id → struct timer */
  flx__link_t conns;        /* open TCP connections */
  flx__link_t listeners;    /* this worker's listening sockets */
  char *readbuf;            /* one read buffer per loop */
  int exiting;
  bool alive;               /* counted in rt->live: see idle.c */
  uint64_t date_sec;        /* cached HTTP Date header */
  char date[40];
};

/* The worker whose thread is calling, if it belongs to rt. */
flx__worker_t *flx__worker_self(flx_runtime_t *rt);
int flx__worker_init(flx_runtime_t *rt, flx__worker_t *w, int id);
int flx__worker_spawn(flx__worker_t *w);
void flx__worker_join(flx__worker_t *w);
void flx__worker_close(flx__worker_t *w);
void flx__worker_free(flx__worker_t *w);
/* Queue a task on w: pinned (only w runs it) or stealable. */
void flx__worker_push(flx__worker_t *w, flx__task_t *t, bool pinned);
/* From w's own thread: t runs before what w has queued in runq and pinq,
 * after what was pushed so before it (a call made now: flx_send_t.now). */
void flx__worker_push_now(flx__worker_t *w, flx__task_t *t);
void flx__worker_call(flx__worker_t *w, flx__call_t *call, flx__call_fn fn);
/* The same, with what to do if the call never runs (a runtime freed unrun). */
void flx__worker_call_or_drop(flx__worker_t *w, flx__call_t *call, flx__call_fn fn,
                              void (*drop)(flx__call_t *));
/* Runs fn(w, arg) on w's loop and waits for it; runs it here if the caller
 * is w or the runtime is not running yet. */
void flx__worker_call_sync(flx__worker_t *w, void (*fn)(flx__worker_t *, void *),
                           void *arg);
/* The worker a new task from this thread should go to. */
flx__worker_t *flx__worker_pick(flx_runtime_t *rt);
void flx__run_task(flx__worker_t *w, flx__task_t *t);

/* ---- fluxions, groups, messages -------------------------------------- */

struct flx_group_s {
  char *name;
  int home;                 /* -1: floating */
  flx_runtime_t *rt;
  uv_mutex_t lock;          /* guards the fields below */
  flx__fifo_t mailbox;      /* of msg->_task */
  bool scheduled;           /* its task is queued or running */
  unsigned readers;         /* FLX_READ messages running */
  flx__task_t *now_tail;    /* the last message sent `now` still in the
                             * mailbox, whose front they hold */
  flx__task_t task;
};

typedef struct flx__join_s {
  uv_mutex_t lock;
  flx__map_t pending;       /* tag → flx_msg_t *[ports] */
} flx__join_t;

struct flx_fluxion_s {
  char *name;
  flx_handler_cb handler;
  void *context;
  flx_group_t *group;
  bool owns_group;
  unsigned ports;
  flx__join_t *join;
  atomic_uint_fast64_t *runs;   /* per worker */
};

struct flx_ctx_s {
  flx_runtime_t *rt;
  flx__worker_t *worker;
  flx_fluxion_t *fluxion;
  uint64_t tag;
};

void flx__msg_free(flx_msg_t *m);
void flx__fluxion_free(flx_fluxion_t *f);
void flx__group_free(flx_group_t *g);
void flx__run_msg(flx__worker_t *w, flx_msg_t *m);
void flx__run_group(flx__worker_t *w, flx_group_t *g);

/* ---- runtime --------------------------------------------------------- */

struct flx_runtime_s {
  int nworkers;
  flx__worker_t *workers;
  flx_options_t opts;

  atomic_int state;           /* enum flx__state */
  atomic_uint_fast64_t next_tag;
  atomic_uint_fast64_t next_timer;
  atomic_uint rr;             /* round robin for sends from outside */
  atomic_int_fast64_t inflight;       /* messages sent and not yet run */
  atomic_int_fast64_t parked;         /* join tokens waiting for partners */
  atomic_int_fast64_t http_inflight;  /* requests not yet answered */
  atomic_int_fast64_t live;           /* with exit_when_idle: see idle.c */

  uv_mutex_t registry_lock;   /* fluxions, groups, servers */
  flx_fluxion_t **fluxions;
  size_t nfluxions;
  flx_group_t **groups;
  size_t ngroups;
  flx_listener_t *listeners;  /* singly linked through ->next */
  flx_http_server_t *servers;

  /* The thread in flx_runtime_run drives start and the stages of a stop. */
  uv_loop_t ctl_loop;
  uv_async_t ctl_wake;        /* rung by flx_runtime_stop */
  uv_signal_t sigint, sigterm;
  uv_timer_t ctl_timer;       /* polls a stop's progress */
  uint64_t stop_deadline;
  bool ctl_open;              /* ctl_wake may be rung; under registry_lock */
  atomic_int stop_requested;
};

/* ---- TCP and HTTP (tcp.c, http*.c) ----------------------------------- */

/* How a protocol built on TCP (HTTP) hooks into a connection. */
typedef struct flx__proto_s {
  void (*on_open)(flx_tcp_t *conn);
  void (*on_read)(flx_tcp_t *conn, const char *data, ssize_t len);
  void (*on_drain)(flx_tcp_t *conn);     /* write queue emptied */
  void (*on_close)(flx_tcp_t *conn);     /* handle closed, before free */
  void (*on_unlisten)(flx_tcp_t *conn);  /* its listener closed; may be NULL */
} flx__proto_t;

struct flx_listener_s {
  flx_runtime_t *rt;
  flx_tcp_options_t opts;
  const flx__proto_t *proto;
  void *proto_data;           /* the HTTP server */
  int port;
  int *fds;                   /* one bound socket per worker */
  atomic_bool closed;         /* flx__tcp_unlisten was called */
  struct flx_listener_s *next;
};

struct flx_tcp_s {
  uv_tcp_t handle;
  flx__worker_t *owner;
  flx_listener_t *listener;
  atomic_int refs;
  atomic_bool closing;
  flx__link_t link;           /* in owner->conns; the rest is owner-only */
  size_t queued;              /* bytes handed to uv_write, not yet written */
  bool paused_write;          /* reading stopped: too much queued */
  bool paused_proto;          /* reading stopped by the protocol */
  bool paused_user;           /* reading stopped by flx_tcp_set_reading */
  bool ending;                /* closing once the queued writes are out */
  bool lingering;             /* ...and after the peer's EOF */
  void *proto_state;          /* e.g. the HTTP connection */
};

/* A write buffer owned by the runtime from creation until written or
 * dropped; it can travel to the owning loop as a call. */
typedef struct flx__wbuf_s {
  uv_write_t req;
  flx__call_t call;
  flx_tcp_t *conn;
  struct flx__wbuf_s *next;
  size_t len;
  char data[];
} flx__wbuf_t;

flx__wbuf_t *flx__wbuf_new(const void *data, size_t len);
int flx__tcp_listen(flx_runtime_t *rt, const flx_tcp_options_t *opts,
                    const flx__proto_t *proto, void *proto_data,
                    flx_listener_t **out);
void flx__tcp_close_listeners(flx__worker_t *w);
/* Every worker stops accepting on l (a call to each, from another thread). */
int flx__tcp_unlisten(flx_listener_t *l);
void flx__tcp_close_all(flx__worker_t *w);
/* The rest run on the owning loop. */
void flx__tcp_send(flx_tcp_t *conn, flx__wbuf_t *b);   /* takes b */
void flx__tcp_pause(flx_tcp_t *conn, bool pause);
void flx__tcp_close_now(flx_tcp_t *conn);
/* Half-close once the queued writes are out, then close. With linger, first
 * discard what the peer still sends until its EOF: closing a socket with
 * unread input sends a reset, which can destroy the last answer before the
 * peer reads it. */
void flx__tcp_finish(flx_tcp_t *conn, bool linger);

void flx__timer_close_all(flx__worker_t *w);

/* ---- stopping when idle (idle.c) ------------------------------------- */

void flx__live_add(flx_runtime_t *rt);
void flx__live_sub(flx_runtime_t *rt);    /* the last one stops the runtime */
void flx__live_start(flx_runtime_t *rt);
/* Counts w's loop in rt->live while it has something that can call back;
 * on w's thread, before the work that may have changed that stops counting. */
void flx__worker_look_alive(flx__worker_t *w);
flx_http_server_t *flx__http_server_free(flx_http_server_t *srv); /* → next */
const char *flx__http_date(flx__worker_t *w);

#endif /* FLX_INTERNAL_H */
