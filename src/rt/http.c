/* http.c — the HTTP/1.1 server: connections, parsing with http-parser,
 * limits and deadlines, and dispatching each request to its route's fluxion.
 * Answers and their ordering live in http_response.c. */
#include "http.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_MAX_HEADER (16u << 10)   /* Node's default */
#define DEFAULT_MAX_BODY (1u << 20)
#define DEFAULT_REQUEST_TIMEOUT 30000
#define DEFAULT_KEEPALIVE_TIMEOUT 5000   /* Node's keepAliveTimeout */
#define LINGER_MS 2000

/* ---- string buffers -------------------------------------------------- */

/* data may point into b itself. */
size_t flx__strbuf_add(strbuf_t *b, const void *data, size_t len) {
  size_t at = b->len;
  if (b->len + len + 1 > b->cap) {
    const char *c = data;
    if (b->p && c >= b->p && c < b->p + b->cap) {   /* survive the realloc */
      size_t off = (size_t)(c - b->p);
      b->cap = b->cap * 2 > b->len + len + 1 ? b->cap * 2 : b->len + len + 1;
      b->p = flx__realloc(b->p, b->cap);
      data = b->p + off;
    }
  }
  if (b->len + len + 1 > b->cap) {
    b->cap = b->cap ? b->cap : 64;
    while (b->len + len + 1 > b->cap)
      b->cap *= 2;
    b->p = flx__realloc(b->p, b->cap);
  }
  if (len)
    memcpy(b->p + b->len, data, len);
  b->len += len;
  b->p[b->len] = '\0';
  return at;
}

/* Room for cap bytes in all, so that a buffer whose size is known grows once. */
void flx__strbuf_reserve(strbuf_t *b, size_t cap) {
  if (cap > b->cap) {
    b->p = flx__realloc(b->p, cap);
    b->cap = cap;
  }
}

void flx__strbuf_printf(strbuf_t *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < (int)sizeof small) {
    flx__strbuf_add(b, small, (size_t)n);
    return;
  }
  char *big = flx__malloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  flx__strbuf_add(b, big, (size_t)n);
  free(big);
}

/* ---- server ---------------------------------------------------------- */

int flx_http_server_new(flx_runtime_t *rt, const flx_http_options_t *opts,
                        flx_http_server_t **out) {
  flx_http_options_t none = {0};
  if (rt == NULL || out == NULL)
    return FLX_EINVAL;
  flx_http_server_t *srv = flx__calloc(1, sizeof *srv);
  srv->rt = rt;
  srv->opts = opts ? *opts : none;
  if (!srv->opts.max_header_bytes)
    srv->opts.max_header_bytes = DEFAULT_MAX_HEADER;
  if (!srv->opts.max_body_bytes)
    srv->opts.max_body_bytes = DEFAULT_MAX_BODY;
  if (!srv->opts.request_timeout_ms)
    srv->opts.request_timeout_ms = DEFAULT_REQUEST_TIMEOUT;
  if (!srv->opts.keepalive_timeout_ms)
    srv->opts.keepalive_timeout_ms = DEFAULT_KEEPALIVE_TIMEOUT;
  uv_mutex_lock(&rt->registry_lock);
  srv->next = rt->servers;
  rt->servers = srv;
  uv_mutex_unlock(&rt->registry_lock);
  *out = srv;
  return 0;
}

flx_http_server_t *flx__http_server_free(flx_http_server_t *srv) {
  flx_http_server_t *next = srv->next;
  flx__http_routes_free(srv);
  free(srv);
  return next;
}

int flx_http_port(const flx_http_server_t *srv) {
  return srv->listener ? flx_listener_port(srv->listener) : 0;
}

/* ---- requests -------------------------------------------------------- */

static flx_http_req_t *req_new(http_conn_t *hc) {
  flx_http_req_t *req = flx__calloc(1, sizeof *req);
  atomic_init(&req->refs, 1);         /* the pipeline's */
  req->tcp = hc->tcp;
  req->srv = hc->srv;
  flx_tcp_ref(hc->tcp);
  flx__strbuf_add(&req->text, "", 1);  /* offset 0: "", so 0 means unset */
  flx__strbuf_add(&req->body, "", 0);

  /* (asked once a connection: a system call and a formatting) */
  struct sockaddr_storage a;
  int n = sizeof a;
  if (hc->remote[0] == '\0' &&
      uv_tcp_getpeername(&hc->tcp->handle, (struct sockaddr *)&a, &n) == 0) {
    if (a.ss_family == AF_INET6)
      uv_ip6_name((struct sockaddr_in6 *)&a, hc->remote, sizeof hc->remote);
    else
      uv_ip4_name((struct sockaddr_in *)&a, hc->remote, sizeof hc->remote);
  }
  memcpy(req->remote, hc->remote, sizeof req->remote);
  return req;
}

void flx__http_req_free(flx_http_req_t *req) {
  flx__wbuf_t *b = req->out;
  while (b) {
    flx__wbuf_t *next = b->next;
    free(b);
    b = next;
  }
  free(req->text.p);
  free(req->body.p);
  free(req->hoff);
  free(req->headers);
  free(req->reason);
  flx_tcp_unref(req->tcp);
  free(req);
}

static size_t text_add(flx_http_req_t *req, const char *s, size_t n) {
  return flx__strbuf_add(&req->text, s, n);
}

/* Turns offsets into pointers once the text no longer moves. */
static void req_seal(flx_http_req_t *req) {
  req->headers = flx__calloc(req->nheaders + 1, sizeof *req->headers);
  for (size_t i = 0; i < req->nheaders; i++) {
    req->headers[i].name = req->text.p + req->hoff[i][0];
    req->headers[i].value = req->text.p + req->hoff[i][1];
  }
}

const char *flx_http_req_method(const flx_http_req_t *r) { return r->text.p + r->method; }
const char *flx_http_req_url(const flx_http_req_t *r) { return r->text.p + r->url; }
const char *flx_http_req_path(const flx_http_req_t *r) { return r->text.p + r->path; }
const char *flx_http_req_query(const flx_http_req_t *r) { return r->text.p + r->query; }
const char *flx_http_req_remote(const flx_http_req_t *r) { return r->remote; }
int flx_http_req_worker(const flx_http_req_t *r) { return flx_tcp_worker(r->tcp); }

int flx_http_req_answered(const flx_http_req_t *r) {
  switch (atomic_load(&r->answer)) {
  case ANSWER_NONE: return 0;
  case ANSWER_STREAMING: return 1;
  default: return 2;
  }
}
size_t flx_http_req_header_count(const flx_http_req_t *r) { return r->nheaders; }

flx_http_header_t flx_http_req_header_at(const flx_http_req_t *r, size_t i) {
  return i < r->nheaders ? r->headers[i] : (flx_http_header_t){0};
}

const char *flx_http_req_header(const flx_http_req_t *r, const char *name) {
  for (size_t i = 0; i < r->nheaders; i++)
    if (strcasecmp(r->headers[i].name, name) == 0)
      return r->headers[i].value;
  return NULL;
}

const char *flx_http_req_param(const flx_http_req_t *r, const char *name) {
  for (size_t i = 0; i < r->nparams; i++)
    if (strcmp(r->params[i].name, name) == 0)
      return r->params[i].value;
  return NULL;
}

const char *flx_http_req_body(const flx_http_req_t *r, size_t *len) {
  if (len)
    *len = r->body.len;
  return r->body.p;
}

/* ---- parser callbacks ------------------------------------------------ */

static http_conn_t *conn_of(http_parser *p) { return p->data; }

/* Counts bytes of the request head against the limit; refuses past it. */
static int head_bytes(http_conn_t *hc, size_t n) {
  hc->header_bytes += n;
  if (hc->header_bytes > hc->srv->opts.max_header_bytes) {
    hc->error_status = 431;
    return -1;
  }
  return 0;
}

static int on_message_begin(http_parser *p) {
  http_conn_t *hc = conn_of(p);
  hc->parsing = req_new(hc);
  hc->header_bytes = 0;
  hc->state = IN_URL;
  flx__http_conn_update_timer(hc);
  return 0;
}

static int on_url(http_parser *p, const char *at, size_t n) {
  http_conn_t *hc = conn_of(p);
  flx_http_req_t *req = hc->parsing;
  if (head_bytes(hc, n))
    return -1;
  if (req->url == 0)
    req->url = req->text.len;
  text_add(req, at, n);
  return 0;
}

/* The url, names and values are appended to text as they arrive; a NUL
 * closes each one when the parser moves on to the next. */
static int on_header_field(http_parser *p, const char *at, size_t n) {
  http_conn_t *hc = conn_of(p);
  flx_http_req_t *req = hc->parsing;
  if (head_bytes(hc, n))
    return -1;
  if (hc->state != IN_FIELD) {
    text_add(req, "", 1);
    req->hoff = flx__realloc(req->hoff, (req->nheaders + 1) * sizeof *req->hoff);
    req->hoff[req->nheaders][0] = req->text.len;
    req->hoff[req->nheaders][1] = 0;
    req->nheaders++;
    hc->state = IN_FIELD;
  }
  size_t from = text_add(req, at, n);
  for (char *c = req->text.p + from; *c; c++)   /* lower-case, as Node */
    if (*c >= 'A' && *c <= 'Z')
      *c = (char)(*c - 'A' + 'a');
  return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t n) {
  http_conn_t *hc = conn_of(p);
  flx_http_req_t *req = hc->parsing;
  if (head_bytes(hc, n))
    return -1;
  if (hc->state != IN_VALUE) {
    text_add(req, "", 1);
    req->hoff[req->nheaders - 1][1] = req->text.len;
    hc->state = IN_VALUE;
  }
  text_add(req, at, n);
  return 0;
}

static void send_continue(http_conn_t *hc) {
  static const char msg[] = "HTTP/1.1 100 Continue\r\n\r\n";
  if (hc->head == NULL)   /* otherwise earlier answers must go first */
    flx__tcp_send(hc->tcp, flx__wbuf_new(msg, sizeof msg - 1));
}

static int on_headers_complete(http_parser *p) {
  http_conn_t *hc = conn_of(p);
  flx_http_req_t *req = hc->parsing;
  const char *method = http_method_str(p->method);
  text_add(req, "", 1);
  req->method = text_add(req, method, strlen(method) + 1);
  size_t qmark = req->url + strcspn(req->text.p + req->url, "?");
  req->path = text_add(req, req->text.p + req->url, qmark - req->url);
  text_add(req, "", 1);
  if (req->text.p[qmark] == '?') {
    req->query = text_add(req, req->text.p + qmark + 1,
                          strlen(req->text.p + qmark + 1));
    text_add(req, "", 1);
  }

  req->keepalive = http_should_keep_alive(p);
  req->http10 = p->http_major == 1 && p->http_minor == 0;
  req->head_only = p->method == HTTP_HEAD;
  if ((p->flags & F_CONTENTLENGTH) && p->content_length != ULLONG_MAX &&
      p->content_length > hc->srv->opts.max_body_bytes) {
    hc->error_status = 413;
    return -1;
  }
  for (size_t i = 0; i < req->nheaders; i++)
    if (strcmp(req->text.p + req->hoff[i][0], "expect") == 0 &&
        strcasecmp(req->text.p + req->hoff[i][1], "100-continue") == 0)
      send_continue(hc);
  return 0;
}

static int on_body(http_parser *p, const char *at, size_t n) {
  http_conn_t *hc = conn_of(p);
  flx_http_req_t *req = hc->parsing;
  if (req->body.len + n > hc->srv->opts.max_body_bytes) {
    hc->error_status = 413;
    return -1;
  }
  flx__strbuf_add(&req->body, at, n);
  return 0;
}

static void pipeline_push(http_conn_t *hc, flx_http_req_t *req) {
  if (hc->tail)
    hc->tail->next = req;
  else
    hc->head = req;
  hc->tail = req;
  hc->pipelined++;
  atomic_fetch_add(&hc->srv->rt->http_inflight, 1);
  if (hc->pipelined > FLX__HTTP_MAX_PIPELINE)
    flx__tcp_pause(hc->tcp, true);
}

static int on_message_complete(http_parser *p) {
  http_conn_t *hc = conn_of(p);
  flx_http_req_t *req = hc->parsing;
  hc->parsing = NULL;
  const route_t *route = flx__http_match(hc->srv, req);   /* adds params */
  req_seal(req);
  pipeline_push(hc, req);
  if (!req->keepalive)
    hc->refusing = true;   /* the last request this connection reads */
  if (route == NULL) {
    flx__http_answer_error(hc, req, 404, false);
  } else {
    atomic_store(&req->holders, 1);
    atomic_fetch_add(&req->refs, 1);
    flx_send(hc->srv->rt, &(flx_send_t){.to = route->to, .kind = FLX_START,
                                        .access = (unsigned char)route->access,
                                        .ref = req,
                                        .release = flx_http_req_unref});
  }
  flx__http_conn_update_timer(hc);
  /* Stop at each request so a refusal can end the connection between two. */
  return hc->refusing ? -1 : 0;
}

static const http_parser_settings settings = {
  .on_message_begin = on_message_begin,
  .on_url = on_url,
  .on_header_field = on_header_field,
  .on_header_value = on_header_value,
  .on_headers_complete = on_headers_complete,
  .on_body = on_body,
  .on_message_complete = on_message_complete,
};

/* ---- connections ----------------------------------------------------- */

static void on_timer(uv_timer_t *t) {
  http_conn_t *hc = t->data;
  if (hc->tcp->ending || hc->head == NULL) {
    if (hc->parsing && !hc->tcp->ending) {   /* too slow a request */
      flx_http_req_t *req = hc->parsing;
      hc->parsing = NULL;
      req_seal(req);
      pipeline_push(hc, req);
      flx__http_answer_error(hc, req, 408, true);
      return;
    }
    flx__tcp_close_now(hc->tcp);   /* idle keep-alive, or a lingering peer */
  }
}

void flx__http_conn_update_timer(http_conn_t *hc) {
  const flx_http_options_t *o = &hc->srv->opts;
  if (hc->tcp->ending)
    uv_timer_start(&hc->timer, on_timer, LINGER_MS, 0);
  else if (hc->parsing)
    uv_timer_start(&hc->timer, on_timer, o->request_timeout_ms, 0);
  else if (hc->head == NULL && o->keepalive_timeout_ms != ~0u)
    uv_timer_start(&hc->timer, on_timer, o->keepalive_timeout_ms, 0);
  else
    uv_timer_stop(&hc->timer);   /* answers pending: the handler's time */
}

static void http_on_open(flx_tcp_t *tcp) {
  http_conn_t *hc = flx__calloc(1, sizeof *hc);
  hc->tcp = tcp;
  hc->srv = tcp->listener->proto_data;
  http_parser_init(&hc->parser, HTTP_REQUEST);
  hc->parser.data = hc;
  uv_timer_init(&tcp->owner->loop, &hc->timer);
  hc->timer.data = hc;
  tcp->proto_state = hc;
  flx__http_conn_update_timer(hc);
}

static void http_on_read(flx_tcp_t *tcp, const char *data, ssize_t len) {
  http_conn_t *hc = tcp->proto_state;
  if (len < 0 || hc->refusing)
    return;   /* the close callback cleans up */
  size_t done = http_parser_execute(&hc->parser, &settings, data, (size_t)len);
  enum http_errno err = HTTP_PARSER_ERRNO(&hc->parser);
  if (err == HPE_OK || hc->refusing)
    return;
  (void)done;
  flx_http_req_t *req = hc->parsing;
  hc->parsing = NULL;
  if (req == NULL)
    req = req_new(hc);
  req_seal(req);
  pipeline_push(hc, req);
  flx__http_answer_error(hc, req, hc->error_status ? hc->error_status : 400, true);
}

static void free_conn(uv_handle_t *h) {
  free(h->data);
}

/* The TCP connection closed: answers still pending are dropped. */
static void http_on_close(flx_tcp_t *tcp) {
  http_conn_t *hc = tcp->proto_state;
  tcp->proto_state = NULL;
  if (hc->parsing)
    flx__http_req_free(hc->parsing);
  while (hc->head) {
    flx_http_req_t *req = hc->head;
    hc->head = req->next;
    atomic_fetch_sub(&hc->srv->rt->http_inflight, 1);
    flx__http_req_put(req);    /* the pipeline's reference */
  }
  uv_close((uv_handle_t *)&hc->timer, free_conn);
}

static void http_on_drain(flx_tcp_t *tcp) {
  (void)tcp;
}

/* The server closed: an idle connection ends now, a busy one after its
 * answers (must_close). */
static void http_on_unlisten(flx_tcp_t *tcp) {
  http_conn_t *hc = tcp->proto_state;
  if (hc && hc->head == NULL && hc->parsing == NULL)
    flx__tcp_finish(tcp, false);
}

static const flx__proto_t http_proto = {
  .on_open = http_on_open,
  .on_read = http_on_read,
  .on_drain = http_on_drain,
  .on_close = http_on_close,
  .on_unlisten = http_on_unlisten,
};

int flx_http_listen(flx_http_server_t *srv, const char *host, int port) {
  if (srv == NULL || srv->listener)
    return FLX_EINVAL;
  flx_tcp_options_t o = {.host = host, .port = port};
  return flx__tcp_listen(srv->rt, &o, &http_proto, srv, &srv->listener);
}

int flx_http_close(flx_http_server_t *srv) {
  if (srv == NULL || srv->listener == NULL)
    return FLX_EINVAL;
  atomic_store(&srv->closed, true);
  return flx__tcp_unlisten(srv->listener);
}
