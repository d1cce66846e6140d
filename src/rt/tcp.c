/* tcp.c — listening on every worker, connections owned by one loop, writes
 * and closes from any thread, and backpressure.
 *
 * DESIGN. Each worker listens on its own socket bound to the same address
 * with SO_REUSEPORT (libuv 1.44 has no flag for it, so the sockets are made
 * here and handed to uv_tcp_open); the kernel spreads connections over them.
 * A connection is touched only by its owning loop: flx_tcp_write and
 * flx_tcp_close from another thread travel there as calls, holding a
 * reference. The runtime holds one reference while the connection is open;
 * the memory goes with the last reference, always after the close callback.
 * When more than write_high_water bytes wait to be written, reading stops
 * until half of them are out.
 */
#include "internal.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_HIGH_WATER (1u << 20)

typedef struct worker_listener_s {
  uv_tcp_t handle;
  flx_listener_t *l;
  flx__link_t link;           /* in worker->listeners */
} worker_listener_t;

static void conn_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void listener_closed(uv_handle_t *h);

/* ---- references and closing ------------------------------------------ */

void flx_tcp_ref(flx_tcp_t *conn) {
  atomic_fetch_add_explicit(&conn->refs, 1, memory_order_relaxed);
}

void flx_tcp_unref(void *ptr) {
  flx_tcp_t *conn = ptr;
  if (atomic_fetch_sub_explicit(&conn->refs, 1, memory_order_acq_rel) == 1)
    free(conn);
}

int flx_tcp_worker(const flx_tcp_t *conn) { return conn->owner->id; }
flx_runtime_t *flx_tcp_runtime(const flx_tcp_t *conn) { return conn->owner->rt; }

void *flx_tcp_listener_data(const flx_tcp_t *conn) {
  return conn->listener->opts.data;
}

static void conn_on_closed(uv_handle_t *h) {
  flx_tcp_t *conn = FLX__CONTAINER_OF(h, flx_tcp_t, handle);
  if (conn->listener->proto)
    conn->listener->proto->on_close(conn);
  flx__link_remove(&conn->link);
  flx_tcp_unref(conn);
}

void flx__tcp_close_now(flx_tcp_t *conn) {
  if (atomic_exchange(&conn->closing, true))
    return;
  uv_close((uv_handle_t *)&conn->handle, conn_on_closed);
}

static void close_call(flx__worker_t *w, flx__call_t *c) {
  (void)w;
  flx__wbuf_t *b = FLX__CONTAINER_OF(c, flx__wbuf_t, call);
  flx__tcp_finish(b->conn, false);
  flx_tcp_unref(b->conn);
  free(b);
}

int flx_tcp_close(flx_tcp_t *conn) {
  if (atomic_load(&conn->closing))
    return FLX_EALREADY;
  if (flx__worker_self(conn->owner->rt) == conn->owner) {
    flx__tcp_finish(conn, false);
    return 0;
  }
  flx__wbuf_t *b = flx__wbuf_new(NULL, 0);
  b->conn = conn;
  flx_tcp_ref(conn);
  flx__worker_call(conn->owner, &b->call, close_call);
  return 0;
}

/* ---- reading and backpressure ---------------------------------------- */

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  (void)hint;
  flx_tcp_t *conn = FLX__CONTAINER_OF(h, flx_tcp_t, handle);
  /* Reads are consumed before the callback returns, so the loop's one
   * buffer serves every connection it owns. */
  *buf = uv_buf_init(conn->owner->readbuf, 65536);
}

static void update_reading(flx_tcp_t *conn) {
  if (atomic_load(&conn->closing))
    return;
  if (conn->ending && !conn->lingering)
    uv_read_stop((uv_stream_t *)&conn->handle);
  else if (conn->paused_write || conn->paused_user ||
           (conn->paused_proto && !conn->lingering))
    uv_read_stop((uv_stream_t *)&conn->handle);
  else
    uv_read_start((uv_stream_t *)&conn->handle, on_alloc, conn_on_read);
}

void flx__tcp_pause(flx_tcp_t *conn, bool pause) {
  if (conn->paused_proto != pause) {
    conn->paused_proto = pause;
    update_reading(conn);
  }
}

typedef struct reading_req_s {
  flx__call_t call;
  flx_tcp_t *conn;
  bool on;
} reading_req_t;

static void set_reading(flx_tcp_t *conn, bool on) {
  conn->paused_user = !on;
  update_reading(conn);
}

static void reading_call(flx__worker_t *w, flx__call_t *c) {
  (void)w;
  reading_req_t *r = FLX__CONTAINER_OF(c, reading_req_t, call);
  set_reading(r->conn, r->on);
  flx_tcp_unref(r->conn);
  free(r);
}

int flx_tcp_set_reading(flx_tcp_t *conn, int on) {
  if (conn == NULL || (on != 0 && on != 1))
    return FLX_EINVAL;
  if (atomic_load(&conn->closing))
    return FLX_EPIPE;
  if (flx__worker_self(conn->owner->rt) == conn->owner) {
    set_reading(conn, on);
    return 0;
  }
  reading_req_t *r = flx__malloc(sizeof *r);
  r->conn = conn;
  r->on = on;
  flx_tcp_ref(conn);
  flx__worker_call(conn->owner, &r->call, reading_call);
  return 0;
}

static void deliver(flx_tcp_t *conn, const char *data, ssize_t len) {
  flx_listener_t *l = conn->listener;
  if (l->proto) {
    l->proto->on_read(conn, data, len);
  } else if (l->opts.on_read) {
    l->opts.on_read(conn, data, len);
  } else if (len > 0) {
    flx_tcp_ref(conn);
    flx_send(l->rt, &(flx_send_t){.to = l->opts.to, .kind = FLX_START,
                                  .data = data, .len = (size_t)len,
                                  .ref = conn, .release = flx_tcp_unref});
  }
}

static void conn_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  flx_tcp_t *conn = FLX__CONTAINER_OF(s, flx_tcp_t, handle);
  if (nread == 0)
    return;
  if (conn->ending) {   /* the answer is final; only wait for the EOF */
    if (nread < 0)
      flx__tcp_close_now(conn);
    return;
  }
  if (nread < 0) {
    deliver(conn, NULL, nread == UV_EOF ? FLX_EPIPE : nread);
    flx__tcp_close_now(conn);
    return;
  }
  deliver(conn, buf->base, nread);
}

/* ---- writing --------------------------------------------------------- */

flx__wbuf_t *flx__wbuf_new(const void *data, size_t len) {
  flx__wbuf_t *b = flx__malloc(sizeof *b + len);
  b->conn = NULL;
  b->next = NULL;
  b->len = len;
  if (data && len)
    memcpy(b->data, data, len);
  return b;
}

static void on_shutdown(uv_shutdown_t *req, int status) {
  flx_tcp_t *conn = req->data;
  free(req);
  if (status < 0 || !conn->lingering)
    flx__tcp_close_now(conn);
  flx_tcp_unref(conn);
}

static void maybe_shutdown(flx_tcp_t *conn) {
  if (!conn->ending || conn->queued > 0 || atomic_load(&conn->closing))
    return;
  uv_shutdown_t *req = flx__malloc(sizeof *req);
  req->data = conn;
  flx_tcp_ref(conn);
  if (uv_shutdown(req, (uv_stream_t *)&conn->handle, on_shutdown) < 0) {
    free(req);
    flx_tcp_unref(conn);
    flx__tcp_close_now(conn);
  }
}

void flx__tcp_finish(flx_tcp_t *conn, bool linger) {
  if (conn->ending)
    return;
  conn->ending = true;
  conn->lingering = linger;
  update_reading(conn);
  maybe_shutdown(conn);
}

static void on_written(uv_write_t *req, int status) {
  flx__wbuf_t *b = FLX__CONTAINER_OF(req, flx__wbuf_t, req);
  flx_tcp_t *conn = b->conn;
  size_t high = conn->listener->opts.write_high_water;
  conn->queued -= b->len;
  free(b);
  if (status < 0) {
    flx__tcp_close_now(conn);
  } else {
    if (conn->paused_write && conn->queued <= high / 2) {
      conn->paused_write = false;
      update_reading(conn);
    }
    if (conn->queued == 0 && conn->listener->proto && conn->listener->proto->on_drain)
      conn->listener->proto->on_drain(conn);
    maybe_shutdown(conn);
  }
  flx_tcp_unref(conn);
}

void flx__tcp_send(flx_tcp_t *conn, flx__wbuf_t *b) {
  if (atomic_load(&conn->closing) || conn->ending) {
    free(b);
    return;
  }
  b->conn = conn;
  uv_buf_t buf = uv_buf_init(b->data, (unsigned)b->len);
  if (uv_write(&b->req, (uv_stream_t *)&conn->handle, &buf, 1, on_written) < 0) {
    free(b);
    flx__tcp_close_now(conn);
    return;
  }
  flx_tcp_ref(conn);   /* released in on_written */
  conn->queued += b->len;
  if (conn->queued > conn->listener->opts.write_high_water && !conn->paused_write) {
    conn->paused_write = true;
    update_reading(conn);
  }
}

static void write_call(flx__worker_t *w, flx__call_t *c) {
  (void)w;
  flx__wbuf_t *b = FLX__CONTAINER_OF(c, flx__wbuf_t, call);
  flx_tcp_t *conn = b->conn;
  flx__tcp_send(conn, b);
  flx_tcp_unref(conn);   /* the reference that carried the call here */
}

int flx_tcp_write(flx_tcp_t *conn, const void *data, size_t len) {
  if (conn == NULL || (len && data == NULL))
    return FLX_EINVAL;
  if (atomic_load(&conn->closing))
    return FLX_EPIPE;
  if (flx__worker_self(conn->owner->rt) == conn->owner) {
    if (conn->ending)
      return FLX_EPIPE;
    if (conn->queued == 0) {   /* the common case: straight to the socket */
      uv_buf_t buf = uv_buf_init((char *)data, (unsigned)len);
      int n = uv_try_write((uv_stream_t *)&conn->handle, &buf, 1);
      if (n == (int)len)
        return 0;
      if (n > 0) {
        data = (const char *)data + n;
        len -= (size_t)n;
      }
    }
    flx__tcp_send(conn, flx__wbuf_new(data, len));
    return 0;
  }
  flx__wbuf_t *b = flx__wbuf_new(data, len);
  b->conn = conn;
  flx_tcp_ref(conn);
  flx__worker_call(conn->owner, &b->call, write_call);
  return 0;
}

/* ---- accepting ------------------------------------------------------- */

static void on_connection(uv_stream_t *server, int status) {
  worker_listener_t *wl = FLX__CONTAINER_OF(server, worker_listener_t, handle);
  flx__worker_t *w = server->data;
  if (status < 0)
    return;
  flx_tcp_t *conn = flx__calloc(1, sizeof *conn);
  uv_tcp_init(&w->loop, &conn->handle);
  conn->owner = w;
  conn->listener = wl->l;
  atomic_init(&conn->refs, 1);
  flx__link_insert(&w->conns, &conn->link);
  if (uv_accept(server, (uv_stream_t *)&conn->handle) < 0) {
    flx__tcp_close_now(conn);
    return;
  }
  uv_tcp_nodelay(&conn->handle, 1);
  if (wl->l->proto && wl->l->proto->on_open)
    wl->l->proto->on_open(conn);
  update_reading(conn);
}

static void start_listening(flx__worker_t *w, flx_listener_t *l) {
  if (w->exiting || atomic_load(&w->rt->state) >= FLX__DRAINING) {
    close(l->fds[w->id]);   /* the runtime stopped before this call ran */
    l->fds[w->id] = -1;
    return;
  }
  worker_listener_t *wl = flx__calloc(1, sizeof *wl);
  wl->l = l;
  uv_tcp_init(&w->loop, &wl->handle);
  wl->handle.data = w;
  int err = uv_tcp_open(&wl->handle, l->fds[w->id]);
  if (err == 0)
    err = uv_listen((uv_stream_t *)&wl->handle, SOMAXCONN, on_connection);
  l->fds[w->id] = -1;   /* the handle owns the socket now */
  if (err) {
    fprintf(stderr, "flx: worker %d cannot listen: %s\n", w->id, flx_strerror(err));
    uv_close((uv_handle_t *)&wl->handle, listener_closed);
    return;
  }
  flx__link_insert(&w->listeners, &wl->link);
}

static void start_listening_sync(flx__worker_t *w, void *l) {
  start_listening(w, l);
}

typedef struct listen_req_s {
  flx__call_t call;
  flx_listener_t *l;
} listen_req_t;

static void listen_call(flx__worker_t *w, flx__call_t *c) {
  listen_req_t *r = FLX__CONTAINER_OF(c, listen_req_t, call);
  start_listening(w, r->l);
  free(r);
}

static int bind_socket(const struct sockaddr_storage *addr, int *out) {
  int one = 1;
  int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0 ||
      bind(fd, (const struct sockaddr *)addr,
           addr->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in)) < 0) {
    int err = -errno;
    close(fd);
    return err;
  }
  *out = fd;
  return 0;
}

/* SO_REUSEPORT would let this process share a port that another one (of the
 * same user) listens on, each getting part of its connections; node says
 * EADDRINUSE there, and so does a bind without it. */
static int port_free(const struct sockaddr_storage *addr) {
  int one = 1, err = 0;
  int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind(fd, (const struct sockaddr *)addr,
           addr->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in)) < 0)
    err = -errno;
  close(fd);
  return err;
}

static void set_port(struct sockaddr_storage *addr, int port) {
  if (addr->ss_family == AF_INET6)
    ((struct sockaddr_in6 *)addr)->sin6_port = htons((uint16_t)port);
  else
    ((struct sockaddr_in *)addr)->sin_port = htons((uint16_t)port);
}

static int bound_port(int fd) {
  struct sockaddr_storage a;
  socklen_t n = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &n) < 0)
    return -errno;
  return ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
                                       : ((struct sockaddr_in *)&a)->sin_port);
}

int flx__tcp_listen(flx_runtime_t *rt, const flx_tcp_options_t *opts,
                    const flx__proto_t *proto, void *proto_data,
                    flx_listener_t **out) {
  struct sockaddr_storage addr;
  const char *host = opts->host ? opts->host : "127.0.0.1";
  int err = 0;

  if (opts->port < 0 || opts->port > 65535)
    return FLX_EINVAL;
  if (uv_ip4_addr(host, opts->port, (struct sockaddr_in *)&addr) != 0 &&
      uv_ip6_addr(host, opts->port, (struct sockaddr_in6 *)&addr) != 0)
    return FLX_EINVAL;
  if (atomic_load(&rt->state) >= FLX__DRAINING)
    return FLX_ECANCELED;

  flx_listener_t *l = flx__calloc(1, sizeof *l);
  l->rt = rt;
  l->opts = *opts;
  l->opts.host = NULL;   /* not kept: the caller owns the string */
  if (l->opts.write_high_water == 0)
    l->opts.write_high_water = DEFAULT_HIGH_WATER;
  l->proto = proto;
  l->proto_data = proto_data;
  l->fds = flx__malloc((size_t)rt->nworkers * sizeof *l->fds);
  for (int i = 0; i < rt->nworkers; i++)
    l->fds[i] = -1;

  if (opts->port)
    err = port_free(&addr);
  for (int i = 0; i < rt->nworkers && err == 0; i++) {
    err = bind_socket(&addr, &l->fds[i]);
    if (err == 0 && i == 0 && opts->port == 0) {
      l->port = bound_port(l->fds[0]);   /* the others join the same port */
      set_port(&addr, l->port);
    }
  }
  if (err) {
    for (int i = 0; i < rt->nworkers; i++)
      if (l->fds[i] >= 0)
        close(l->fds[i]);
    free(l->fds);
    free(l);
    return err;
  }
  if (opts->port)
    l->port = opts->port;

  uv_mutex_lock(&rt->registry_lock);
  l->next = rt->listeners;
  rt->listeners = l;
  uv_mutex_unlock(&rt->registry_lock);
  /* The sockets are bound, so the port is taken and any error is known. A
   * thread outside the runtime waits until every loop accepts; a worker does
   * not wait for the others (two workers waiting on each other would never
   * wake), so their loops start accepting when the call reaches them. */
  flx__worker_t *self = flx__worker_self(rt);
  for (int i = 0; i < rt->nworkers; i++) {
    flx__worker_t *w = &rt->workers[i];
    if (w == self || atomic_load(&rt->state) == FLX__NEW) {
      start_listening(w, l);
    } else if (self == NULL) {
      flx__worker_call_sync(w, start_listening_sync, l);
    } else {
      listen_req_t *r = flx__malloc(sizeof *r);
      r->l = l;
      flx__worker_call(w, &r->call, listen_call);
    }
  }
  if (out)
    *out = l;
  return 0;
}

int flx_tcp_listen(flx_runtime_t *rt, const flx_tcp_options_t *opts,
                   flx_listener_t **out) {
  if (rt == NULL || opts == NULL || (opts->on_read == NULL && opts->to == NULL))
    return FLX_EINVAL;
  return flx__tcp_listen(rt, opts, NULL, NULL, out);
}

int flx_listener_port(const flx_listener_t *l) { return l->port; }

static void listener_closed(uv_handle_t *h) {
  free(FLX__CONTAINER_OF(h, worker_listener_t, handle));
}

void flx__tcp_close_listeners(flx__worker_t *w) {
  while (w->listeners.next != &w->listeners) {
    flx__link_t *link = w->listeners.next;
    flx__link_remove(link);
    uv_close((uv_handle_t *)&FLX__CONTAINER_OF(link, worker_listener_t, link)->handle,
             listener_closed);
  }
}

/* Stops l accepting on w; its connections there are the protocol's to end
 * (on_unlisten), or stay open. */
static void unlisten(flx__worker_t *w, flx_listener_t *l) {
  for (flx__link_t *k = w->listeners.next; k != &w->listeners; k = k->next) {
    worker_listener_t *wl = FLX__CONTAINER_OF(k, worker_listener_t, link);
    if (wl->l == l) {
      flx__link_remove(k);
      uv_close((uv_handle_t *)&wl->handle, listener_closed);
      break;
    }
  }
  if (l->proto && l->proto->on_unlisten)
    for (flx__link_t *k = w->conns.next, *next; k != &w->conns; k = next) {
      next = k->next;   /* on_unlisten may close it */
      flx_tcp_t *conn = FLX__CONTAINER_OF(k, flx_tcp_t, link);
      if (conn->listener == l)
        l->proto->on_unlisten(conn);
    }
}

static void unlisten_call(flx__worker_t *w, flx__call_t *c) {
  listen_req_t *r = FLX__CONTAINER_OF(c, listen_req_t, call);
  unlisten(w, r->l);
  free(r);
}

int flx__tcp_unlisten(flx_listener_t *l) {
  flx_runtime_t *rt = l->rt;
  if (atomic_exchange(&l->closed, true))
    return FLX_EALREADY;
  flx__worker_t *self = flx__worker_self(rt);
  for (int i = 0; i < rt->nworkers; i++) {
    flx__worker_t *w = &rt->workers[i];
    if (w == self || atomic_load(&rt->state) == FLX__NEW) {
      unlisten(w, l);
    } else {   /* after the call that starts it there, if still on its way */
      listen_req_t *r = flx__malloc(sizeof *r);
      r->l = l;
      flx__worker_call(w, &r->call, unlisten_call);
    }
  }
  return 0;
}

int flx_listener_close(flx_listener_t *l) {
  return l ? flx__tcp_unlisten(l) : FLX_EINVAL;
}

void flx__tcp_close_all(flx__worker_t *w) {
  flx__tcp_close_listeners(w);
  for (flx__link_t *l = w->conns.next; l != &w->conns; l = l->next)
    flx__tcp_close_now(FLX__CONTAINER_OF(l, flx_tcp_t, link));
}
