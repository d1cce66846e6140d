/* http_response.c — answering requests from any worker, and keeping the
 * answers of a pipelined connection in request order.
 *
 * An answer is serialised on the thread that gives it, then travels to the
 * connection's loop in parts (a call carrying a write buffer). There each
 * part waits on its request until every earlier request of the pipeline is
 * answered in full; flx__http_flush writes what may go. */
#include "http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { MODE_CHUNKED = 1, MODE_CLOSE = 2, MODE_NOBODY = 4 };  /* stream framing */

typedef struct part_s {
  flx__call_t call;
  flx_http_req_t *req;
  flx__wbuf_t *buf;
  bool final;
} part_t;

/* The reason phrases Node.js writes (its http.STATUS_CODES), and its
 * "unknown" for any other status. */
const char *flx_http_status_text(int status) {
  switch (status) {
  case 100: return "Continue";
  case 101: return "Switching Protocols";
  case 102: return "Processing";
  case 103: return "Early Hints";
  case 200: return "OK";
  case 201: return "Created";
  case 202: return "Accepted";
  case 203: return "Non-Authoritative Information";
  case 204: return "No Content";
  case 205: return "Reset Content";
  case 206: return "Partial Content";
  case 207: return "Multi-Status";
  case 208: return "Already Reported";
  case 226: return "IM Used";
  case 300: return "Multiple Choices";
  case 301: return "Moved Permanently";
  case 302: return "Found";
  case 303: return "See Other";
  case 304: return "Not Modified";
  case 305: return "Use Proxy";
  case 307: return "Temporary Redirect";
  case 308: return "Permanent Redirect";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 402: return "Payment Required";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 406: return "Not Acceptable";
  case 407: return "Proxy Authentication Required";
  case 408: return "Request Timeout";
  case 409: return "Conflict";
  case 410: return "Gone";
  case 411: return "Length Required";
  case 412: return "Precondition Failed";
  case 413: return "Payload Too Large";
  case 414: return "URI Too Long";
  case 415: return "Unsupported Media Type";
  case 416: return "Range Not Satisfiable";
  case 417: return "Expectation Failed";
  case 418: return "I'm a Teapot";
  case 421: return "Misdirected Request";
  case 422: return "Unprocessable Entity";
  case 423: return "Locked";
  case 424: return "Failed Dependency";
  case 425: return "Too Early";
  case 426: return "Upgrade Required";
  case 428: return "Precondition Required";
  case 429: return "Too Many Requests";
  case 431: return "Request Header Fields Too Large";
  case 451: return "Unavailable For Legal Reasons";
  case 500: return "Internal Server Error";
  case 501: return "Not Implemented";
  case 502: return "Bad Gateway";
  case 503: return "Service Unavailable";
  case 504: return "Gateway Timeout";
  case 505: return "HTTP Version Not Supported";
  case 506: return "Variant Also Negotiates";
  case 507: return "Insufficient Storage";
  case 508: return "Loop Detected";
  case 509: return "Bandwidth Limit Exceeded";
  case 510: return "Not Extended";
  case 511: return "Network Authentication Required";
  }
  return "unknown";
}

static void format_date(char out[40], time_t now) {
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* The Date header's value; a worker formats it once a second. */
static const char *http_date(flx__worker_t *w, char scratch[40]) {
  time_t now = time(NULL);
  if (w == NULL) {
    format_date(scratch, now);
    return scratch;
  }
  if (w->date_sec != (uint64_t)now) {
    format_date(w->date, now);
    w->date_sec = (uint64_t)now;
  }
  return w->date;
}

/* ---- references ------------------------------------------------------ */

void flx__http_req_put(flx_http_req_t *req) {
  if (atomic_fetch_sub_explicit(&req->refs, 1, memory_order_acq_rel) == 1)
    flx__http_req_free(req);
}

void flx_http_req_ref(flx_http_req_t *req) {
  atomic_fetch_add(&req->holders, 1);
  atomic_fetch_add(&req->refs, 1);
}

void flx_http_req_unref(void *ptr) {
  flx_http_req_t *req = ptr;
  if (atomic_fetch_sub(&req->holders, 1) == 1) {
    switch (atomic_load(&req->answer)) {
    case ANSWER_NONE:
      fprintf(stderr, "flx: %s %s was left unanswered; answering 500\n",
              flx_http_req_method(req), flx_http_req_url(req));
      flx_http_respond(req, 500, NULL, 0, "Internal Server Error", 21);
      break;
    case ANSWER_STREAMING:
      flx_http_end(req);
      break;
    }
  }
  flx__http_req_put(req);
}

/* ---- the pipeline, on the owning loop -------------------------------- */

void flx__http_flush(http_conn_t *hc) {
  while (hc->head) {
    flx_http_req_t *req = hc->head;
    while (req->out) {
      flx__wbuf_t *b = req->out;
      req->out = b->next;
      b->next = NULL;
      flx__tcp_send(hc->tcp, b);
    }
    req->out_tail = NULL;
    if (!req->complete)
      break;
    hc->head = req->next;
    if (hc->head == NULL)
      hc->tail = NULL;
    hc->pipelined--;
    atomic_fetch_sub(&hc->srv->rt->http_inflight, 1);
    bool close = req->close_after;
    flx__http_req_put(req);
    if (close) {
      /* Requests read after this one will not be answered: drop them. */
      while (hc->head) {
        flx_http_req_t *later = hc->head;
        hc->head = later->next;
        atomic_fetch_sub(&hc->srv->rt->http_inflight, 1);
        flx__http_req_put(later);
      }
      hc->tail = NULL;
      hc->pipelined = 0;
      flx__tcp_finish(hc->tcp, true);
      break;
    }
  }
  if (hc->pipelined <= FLX__HTTP_MAX_PIPELINE)
    flx__tcp_pause(hc->tcp, false);
  flx__http_conn_update_timer(hc);
}

static void take_part(flx_http_req_t *req, flx__wbuf_t *buf, bool final) {
  http_conn_t *hc = req->tcp->proto_state;
  if (hc == NULL) {   /* the connection is gone: nobody to answer */
    free(buf);
  } else {
    if (req->out_tail)
      req->out_tail->next = buf;
    else
      req->out = buf;
    req->out_tail = buf;
    if (final)
      req->complete = true;
    if (req == hc->head)
      flx__http_flush(hc);
  }
  flx__http_req_put(req);
}

static void part_call(flx__worker_t *w, flx__call_t *c) {
  (void)w;
  part_t *p = FLX__CONTAINER_OF(c, part_t, call);
  take_part(p->req, p->buf, p->final);
  free(p);
}

static void send_part(flx_http_req_t *req, strbuf_t *bytes, bool final) {
  flx__wbuf_t *buf = flx__wbuf_new(bytes->p, bytes->len);
  flx__worker_t *owner = req->tcp->owner;
  atomic_fetch_add(&req->refs, 1);
  if (flx__worker_self(owner->rt) == owner) {
    take_part(req, buf, final);
    return;
  }
  part_t *p = flx__malloc(sizeof *p);
  p->req = req;
  p->buf = buf;
  p->final = final;
  flx__worker_call(owner, &p->call, part_call);
}

/* ---- serialising ----------------------------------------------------- */

static const char *find(const flx_http_header_t *h, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (h[i].name && strcasecmp(h[i].name, name) == 0)
      return h[i].value ? h[i].value : "";
  return NULL;
}

static bool body_allowed(int status) {
  return !(status < 200 || status == 204 || status == 304);
}

/* Whether the connection must end after this answer. */
static bool must_close(const flx_http_req_t *req, const flx_http_header_t *h,
                       size_t n) {
  const char *conn = find(h, n, "Connection");
  return !req->keepalive || (conn && strcasecmp(conn, "close") == 0) ||
         atomic_load(&req->srv->closed) ||
         atomic_load(&req->srv->rt->state) >= FLX__DRAINING;
}

/* The head is built by appending: it is written for every answer, and
 * vsnprintf cost ~700 instructions a line, counted under callgrind. */
static void put_str(strbuf_t *b, const char *s) { flx__strbuf_add(b, s, strlen(s)); }

/* v in decimal, at the end of digits[24] */
static const char *decimal(char digits[24], unsigned long long v) {
  char *d = digits + 23;
  *d = '\0';
  do
    *--d = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  return d;
}

static void put_header(strbuf_t *b, const char *name, const char *value) {
  put_str(b, name);
  flx__strbuf_add(b, ": ", 2);
  put_str(b, value);
  flx__strbuf_add(b, "\r\n", 2);
}

/* Status line and headers; length < 0 means none is known. */
static void put_head(strbuf_t *b, flx_http_req_t *req, int status,
                     const flx_http_header_t *h, size_t n, long long length,
                     int mode) {
  char scratch[40], digits[24];
  flx__strbuf_add(b, "HTTP/1.1 ", 9);
  put_str(b, decimal(digits, (unsigned)status));   /* 100..999 */
  flx__strbuf_add(b, " ", 1);
  put_str(b, req->reason ? req->reason : flx_http_status_text(status));
  flx__strbuf_add(b, "\r\n", 2);
  for (size_t i = 0; i < n; i++)
    if (h[i].name && strcasecmp(h[i].name, "Connection") != 0)
      put_header(b, h[i].name, h[i].value ? h[i].value : "");
  if (!find(h, n, "Date"))
    put_header(b, "Date", http_date(flx__worker_self(req->srv->rt), scratch));
  put_header(b, "Connection", (mode & MODE_CLOSE) ? "close" : "keep-alive");
  unsigned idle_ms = req->srv->opts.keepalive_timeout_ms;
  if (!(mode & MODE_CLOSE) && idle_ms != ~0u && !find(h, n, "Keep-Alive")) {   /* as Node says it */
    put_str(b, "Keep-Alive: timeout=");
    put_str(b, decimal(digits, idle_ms / 1000));
    flx__strbuf_add(b, "\r\n", 2);
  }
  if (body_allowed(status)) {
    if (mode & MODE_CHUNKED)
      put_header(b, "Transfer-Encoding", "chunked");
    else if (length >= 0 && !find(h, n, "Content-Length"))
      put_header(b, "Content-Length", decimal(digits, (unsigned long long)length));
  }
  flx__strbuf_add(b, "\r\n", 2);
}

int flx_http_set_reason(flx_http_req_t *req, const char *reason) {
  if (req == NULL)
    return FLX_EINVAL;
  if (atomic_load(&req->answer) != ANSWER_NONE)
    return FLX_EALREADY;
  for (const char *c = reason; c && *c; c++)
    if (*c == '\r' || *c == '\n')
      return FLX_EINVAL;   /* it would end the status line */
  char *copy = reason ? strdup(reason) : NULL;
  if (reason && copy == NULL)
    return FLX_ENOMEM;
  free(req->reason);
  req->reason = copy;
  return 0;
}

int flx_http_respond(flx_http_req_t *req, int status,
                     const flx_http_header_t *headers, size_t nheaders,
                     const void *body, size_t len) {
  int expected = ANSWER_NONE;
  if (req == NULL || status < 100 || status > 999 || (nheaders && !headers) ||
      (len && !body))
    return FLX_EINVAL;
  if (!atomic_compare_exchange_strong(&req->answer, &expected, ANSWER_DONE))
    return FLX_EALREADY;
  bool close = must_close(req, headers, nheaders);
  strbuf_t b = {0};
  flx__strbuf_reserve(&b, 512 + len);   /* a usual head and the body: grown once */
  put_head(&b, req, status, headers, nheaders, (long long)len,
           close ? MODE_CLOSE : 0);
  if (!req->head_only && body_allowed(status))
    flx__strbuf_add(&b, body, len);
  if (close)
    req->close_after = true;
  send_part(req, &b, true);
  free(b.p);
  return 0;
}

int flx_http_write_head(flx_http_req_t *req, int status,
                        const flx_http_header_t *headers, size_t nheaders) {
  int expected = ANSWER_NONE;
  if (req == NULL || status < 100 || status > 999 || (nheaders && !headers))
    return FLX_EINVAL;
  if (!atomic_compare_exchange_strong(&req->answer, &expected, ANSWER_STREAMING))
    return FLX_EALREADY;
  const char *cl = find(headers, nheaders, "Content-Length");
  int mode = must_close(req, headers, nheaders) ? MODE_CLOSE : 0;
  if (cl == NULL && body_allowed(status)) {
    if (req->http10)
      mode |= MODE_CLOSE;   /* no chunking in 1.0: the close ends the body */
    else
      mode |= MODE_CHUNKED;
  }
  /* Written before the answer is first sent; later parts are ordered after
   * this one on the owning loop, and only the loop reads these two. */
  req->close_after = (mode & MODE_CLOSE) != 0;
  strbuf_t b = {0};
  put_head(&b, req, status, headers, nheaders, -1, mode);
  atomic_store(&req->stream_mode, mode | (body_allowed(status) ? 0 : MODE_NOBODY));
  send_part(req, &b, false);
  free(b.p);
  return 0;
}

int flx_http_write(flx_http_req_t *req, const void *data, size_t len) {
  if (req == NULL || (len && !data))
    return FLX_EINVAL;
  if (atomic_load(&req->answer) != ANSWER_STREAMING)
    return FLX_EALREADY;
  int mode = atomic_load(&req->stream_mode);
  if (len == 0 || req->head_only || (mode & MODE_NOBODY))
    return 0;   /* a chunk of 0 bytes would end the stream */
  strbuf_t b = {0};
  if (mode & MODE_CHUNKED)
    flx__strbuf_printf(&b, "%zx\r\n", len);
  flx__strbuf_add(&b, data, len);
  if (mode & MODE_CHUNKED)
    flx__strbuf_add(&b, "\r\n", 2);
  send_part(req, &b, false);
  free(b.p);
  return 0;
}

int flx_http_end(flx_http_req_t *req) {
  int expected = ANSWER_STREAMING;
  if (req == NULL)
    return FLX_EINVAL;
  int mode = atomic_load(&req->stream_mode);
  if (!atomic_compare_exchange_strong(&req->answer, &expected, ANSWER_DONE))
    return FLX_EALREADY;
  strbuf_t b = {0};
  if ((mode & MODE_CHUNKED) && !req->head_only && !(mode & MODE_NOBODY))
    flx__strbuf_add(&b, "0\r\n\r\n", 5);
  send_part(req, &b, true);
  free(b.p);
  return 0;
}

/* An answer of the server's own; runs on the owning loop. */
void flx__http_answer_error(http_conn_t *hc, flx_http_req_t *req, int status,
                            bool close) {
  const char *text = flx_http_status_text(status);
  flx_http_header_t h[] = {{"Content-Type", "text/plain; charset=utf-8"},
                           {"Connection", "close"}};
  if (close) {
    hc->refusing = true;
    req->keepalive = false;
  }
  flx_http_respond(req, status, h, close ? 2 : 1, text, strlen(text));
}
