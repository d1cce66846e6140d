/* host.h — private to the JavaScript host: the process-wide program and the
 * per-worker JavaScript state (host.c), the http handle (mod_http.c), crypto
 * (mod_crypto.c), timers (mod_timers.c), require, fs and process (modules.c). */
#ifndef FLX_JS_HOST_H
#define FLX_JS_HOST_H

#include "js.h"
#include "flx.h"
#include "../lang/flxl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define FLX_JS_MAX_SERVERS 8

typedef struct flx_js_host_s flx_js_host_t;

/* One per worker, made and used on the worker's thread only. */
typedef struct flx_js_worker_s {
  flx_js_handles_t handles;   /* first: the context's opaque pointer */
  flx_js_host_t *host;
  int id;
  JSRuntime *rt;
  JSContext *ctx;
  JSValue flx;                /* the __flx object placeholders call */
  JSValue *makers;            /* per fluxion: its maker function, here */
  JSValue *fns;               /* per fluxion whose maker takes no variables: the
                               * function it made for the first message here
                               * (null until then), as node has one; otherwise
                               * undefined, made per message */
  JSValue apply;              /* Function.prototype.apply */
  JSValue modules;            /* require's built-in modules */
  flx_ctx_t *current;         /* the message being run, for posts */
  JSValue timers;             /* id → [fn, args, runtime timer id, repeats] */
  JSValue immediates;         /* ids of setImmediate callbacks, in order */
  bool immediate_tick;        /* a message will run them */
  bool calling_immediate;     /* that message is calling one: an event of its
                               * own, not a call made now (stream_call) */
  JSValue local;              /* id → [dest, args, vars]: messages kept here */
  JSValue rejected;           /* promise → reason: rejections nobody handles yet */
  bool rejections;            /* one was added since they were last reported */
  bool in_group;              /* the message being run is a group's (run_fluxion) */
  uint64_t turns;             /* messages whose JavaScript has run to its end,
                               * microtasks included (flx_js_drain) */
  uint64_t next_local;
  uint64_t next_timer;
  JSValue listeners[FLX_JS_MAX_SERVERS];   /* each server's listener, rebuilt here */
  JSValue serve;              /* require('http').__serve */
  JSValue placeholder_clone;  /* the __flx_clone of every placeholder */
  JSValue invoke, on_call;    /* internal_host.js's __flx.invoke and onCall */
  JSValue run_ticks;          /* internal_process.js's: process.nextTick's queue */
  uint64_t remote_sweeps;     /* internal_host.js's table of functions called back
                               * from other workers: how often it was swept, */
  uint64_t remote_kept_max;   /* and the most entries a sweep kept */
  struct evp_md_st *sha1;     /* OpenSSL's, fetched once (mod_crypto.c) */
  struct evp_md_ctx_st *etag; /* reused by each ETag */
} flx_js_worker_t;

/* Immutable once the workers run. */
struct flx_js_host_s {
  flx_runtime_t *rt;
  flxl_program_t prog;
  char *file;
  const flxl_fluxion_t **fx;  /* the program's fluxions */
  flx_fluxion_t **rf;         /* the runtime's, same index */
  size_t nfx;
  int *group_of;              /* -1: stateless */
  bool *first_of_group;       /* instantiates the group's scope */
  int *home;                  /* a group's worker */
  int *arity;                 /* the function's length (Express tells 4 from 3) */
  int *takes;                 /* the arguments it can read: its parameters, or -1
                                 (a default, a rest, `arguments`) */
  size_t main_index;
  flx_js_worker_t *workers;
  JSClassID req_class;        /* the http handle */
  flx_fluxion_t **timer_fluxions;   /* one per worker, pinned there */
  flx_fluxion_t **call_fluxions;    /* likewise: __flx.send(worker, value) */
  flx_fluxion_t **signal_fluxions;  /* likewise: process.emit('SIGTERM') there */
  atomic_int signal_listeners[2];   /* SIGINT's, SIGTERM's, over all workers */
  atomic_int exit_code;             /* set by process.exit */

  /* Servers: a stateless fluxion each, taking its requests on any worker. */
  atomic_int nservers;
  /* Published id of each server's listener; -1 until main has run, since
   * main may still add routes after listen (Node accepts nothing before). */
  atomic_int server_listener[FLX_JS_MAX_SERVERS];
  atomic_bool main_done;
  flx_http_server_t *servers[FLX_JS_MAX_SERVERS];
  flx_fluxion_t *server_fluxions[FLX_JS_MAX_SERVERS];

  /* Values published once for every worker to rebuild (an app's routes). */
  pthread_mutex_t lock;
  flx_js_bytes_t *published;
  size_t npublished;
  atomic_int main_values;           /* published id of main's values for groups
                                       (`x from main`), or -1 */
};

int flx_js_host_new(flx_js_host_t **out, const char *file, const char *text, size_t len,
                    int workers, flxl_error_t *err);
int flx_js_host_run(flx_js_host_t *h);
void flx_js_host_free(flx_js_host_t *h);
int flx_js_host_index(const flx_js_host_t *h, const char *name);
/* map.method(...argv) on a JavaScript Map (QuickJS has no C API for Maps). */
JSValue flx_js_map(JSContext *ctx, JSValueConst map, const char *method, int argc,
                   JSValueConst *argv);

/* The bytes of a value: a typed array's own (borrowed), or a string's UTF-8
 * (owned: released by flx_js_view_release). undefined and null are empty.
 * -1 with an exception pending if v is neither. */
typedef struct flx_js_view_s {
  const uint8_t *p;
  size_t len;
  bool owned;
} flx_js_view_t;
int flx_js_view(JSContext *ctx, JSValueConst v, flx_js_view_t *out);
void flx_js_view_release(JSContext *ctx, flx_js_view_t *v);

/* One fluxion per worker, each in a group pinned to its worker, named
 * PREFIX_W: what must run where its JavaScript state is. */
flx_fluxion_t **flx_js_pinned_fluxions(flx_js_host_t *h, const char *prefix,
                                       flx_handler_cb handler);

/* Logs the pending exception with where it happened; false if it was only
 * process.exit unwinding. */
bool flx_js_report(flx_js_worker_t *w, const char *where);
/* Runs the promise jobs left behind: await continues on this worker. */
void flx_js_drain(flx_js_worker_t *w, const char *where);
/* Clones v for every worker; its id, or -1 with an exception pending. */
int flx_js_publish(flx_js_worker_t *w, JSValueConst v, const char *what);
/* A fresh copy of what was published under id, in w's runtime. */
JSValue flx_js_published(flx_js_worker_t *w, int id);

/* mod_http.c */
void flx_js_http_init(flx_js_worker_t *w);
void flx_js_http_publish_listeners(flx_js_worker_t *w);   /* at main's end */
void flx_js_http_free(flx_js_worker_t *w);
void flx_js_http_ref(void *req);
void flx_js_http_unref(void *req);
JSValue flx_js_http_wrap(JSContext *ctx, int kind, void *req);
void flx_js_http_serve(flx_ctx_t *ctx, flx_msg_t *msg);

/* mod_crypto.c */
void flx_js_crypto_init(flx_js_worker_t *w);
void flx_js_crypto_free(flx_js_worker_t *w);

/* mod_timers.c; modules.c (require, process) */
void flx_js_on_timer(flx_ctx_t *ctx, flx_msg_t *msg);   /* __timers_W */
void flx_js_timers_init(flx_js_worker_t *w, JSValue global);
void flx_js_timers_free(flx_js_worker_t *w);
void flx_js_require_init(flx_js_worker_t *w, JSValue global);
/* require(name) of a built-in module, from C. */
JSValue flx_js_require(flx_js_worker_t *w, const char *name);

#endif /* FLX_JS_HOST_H */
