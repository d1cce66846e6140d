/* mod_http.c — the native half of the `http` module: a movable handle around
 * libflx's flx_http_req_t and the server's listen. The Node-facing objects
 * (IncomingMessage, ServerResponse, Server) are JavaScript, src/js/lib/http.js,
 * built on this handle; a handle crosses workers by identity (clone.c's
 * T_HANDLE), so an answer from any worker reaches the right connection. */
#include "host.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static flx_js_worker_t *worker_of_rt(JSRuntime *rt) {
  return JS_GetRuntimeOpaque(rt);
}

/* A handle holds one reference to its request; its finalizer drops it. */
static void finalize_handle(JSRuntime *rt, JSValue v) {
  void *req = JS_GetOpaque(v, worker_of_rt(rt)->host->req_class);
  if (req)
    flx_http_req_unref(req);
}

void flx_js_http_ref(void *req) {
  flx_http_req_ref(req);
}

void flx_js_http_unref(void *req) {
  flx_http_req_unref(req);
}

JSValue flx_js_http_wrap(JSContext *ctx, int kind, void *ptr) {
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  (void)kind;
  JSValue o = JS_NewObjectClass(ctx, (int)w->host->req_class);
  JS_SetOpaque(o, ptr);
  return o;
}

static flx_http_req_t *req_of(JSContext *ctx, JSValueConst handle) {
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  flx_http_req_t *req = JS_GetOpaque(handle, w->host->req_class);
  if (req == NULL)
    JS_ThrowTypeError(ctx, "not an http handle");
  return req;
}

/* A header name in lower case (a token: ASCII), as req.headers has it;
 * QuickJS's toLowerCase, being Unicode's, costs more per request. */
static JSValue lower_name(JSContext *ctx, const char *name) {
  char small[128];
  size_t n = strlen(name);
  char *buf = n < sizeof small ? small : malloc(n);
  if (buf == NULL)
    return JS_ThrowOutOfMemory(ctx);
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)tolower((unsigned char)name[i]);
  JSValue v = JS_NewStringLen(ctx, buf, n);
  if (buf != small)
    free(buf);
  return v;
}

/* handle.info(): [method, url, [name, value, ...], remote address,
 * [name in lower case, ...]]. */
static JSValue handle_info(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)argc;
  (void)argv;
  flx_http_req_t *req = req_of(ctx, this_val);
  if (req == NULL)
    return JS_EXCEPTION;
  JSValue out = JS_NewArray(ctx), raw = JS_NewArray(ctx), lower = JS_NewArray(ctx);
  uint32_t k = 0;
  for (size_t i = 0; i < flx_http_req_header_count(req); i++) {
    flx_http_header_t hd = flx_http_req_header_at(req, i);
    JS_SetPropertyUint32(ctx, raw, k++, JS_NewString(ctx, hd.name));
    JS_SetPropertyUint32(ctx, raw, k++, JS_NewString(ctx, hd.value));
    JS_SetPropertyUint32(ctx, lower, (uint32_t)i, lower_name(ctx, hd.name));
  }
  JS_SetPropertyUint32(ctx, out, 0, JS_NewString(ctx, flx_http_req_method(req)));
  JS_SetPropertyUint32(ctx, out, 1, JS_NewString(ctx, flx_http_req_url(req)));
  JS_SetPropertyUint32(ctx, out, 2, raw);
  JS_SetPropertyUint32(ctx, out, 3, JS_NewString(ctx, flx_http_req_remote(req)));
  JS_SetPropertyUint32(ctx, out, 4, lower);
  return out;
}

/* handle.body(): the request's body as an ArrayBuffer (libflx has it whole). */
static JSValue handle_body(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)argc;
  (void)argv;
  flx_http_req_t *req = req_of(ctx, this_val);
  if (req == NULL)
    return JS_EXCEPTION;
  size_t len = 0;
  const char *body = flx_http_req_body(req, &len);
  return JS_NewArrayBufferCopy(ctx, (const uint8_t *)(body ? body : ""), body ? len : 0);
}

/* 0 for success, else the libflx error's name ('EALREADY': answered already). */
static JSValue answer_code(JSContext *ctx, int rc) {
  return rc ? JS_NewString(ctx, rc == FLX_EALREADY ? "EALREADY" : flx_strerror(rc))
            : JS_NewInt32(ctx, 0);
}

/* [name, value, ...] → flx_http_header_t[]; free with free_headers. */
static size_t headers_of(JSContext *ctx, JSValueConst flat, flx_http_header_t *out, size_t max) {
  uint32_t n = 0;
  JSValue len = JS_GetPropertyStr(ctx, flat, "length");
  JS_ToUint32(ctx, &n, len);
  JS_FreeValue(ctx, len);
  size_t k = 0;
  for (uint32_t i = 0; i + 1 < n && k < max; i += 2, k++) {
    JSValue name = JS_GetPropertyUint32(ctx, flat, i), value = JS_GetPropertyUint32(ctx, flat, i + 1);
    out[k].name = JS_ToCString(ctx, name);
    out[k].value = JS_ToCString(ctx, value);
    JS_FreeValue(ctx, name);
    JS_FreeValue(ctx, value);
  }
  return k;
}

static void free_headers(JSContext *ctx, flx_http_header_t *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    JS_FreeCString(ctx, h[i].name);
    JS_FreeCString(ctx, h[i].value);
  }
}

enum { MAX_HEADERS = 128 };

/* handle.respond(status, headers, body, reason) / handle.head(status,
 * headers, reason); reason: res.statusMessage, if set. */
static JSValue handle_answer(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv,
                             int streamed) {
  flx_http_req_t *req = req_of(ctx, this_val);
  if (req == NULL)
    return JS_EXCEPTION;
  int32_t status = 200;
  if (argc > 0)
    JS_ToInt32(ctx, &status, argv[0]);
  int at = streamed ? 2 : 3;
  if (argc > at && JS_IsString(argv[at])) {
    const char *reason = JS_ToCString(ctx, argv[at]);
    int err = reason ? flx_http_set_reason(req, reason) : FLX_ENOMEM;
    JS_FreeCString(ctx, reason);
    if (err == FLX_EINVAL)
      return JS_ThrowTypeError(ctx, "Invalid character in statusMessage.");
  }
  flx_http_header_t h[MAX_HEADERS];
  size_t n = argc > 1 ? headers_of(ctx, argv[1], h, MAX_HEADERS) : 0;
  int rc;
  if (streamed) {
    rc = flx_http_write_head(req, status, h, n);
  } else {
    flx_js_view_t body;
    if (flx_js_view(ctx, argc > 2 ? argv[2] : JS_UNDEFINED, &body) < 0) {
      free_headers(ctx, h, n);
      return JS_EXCEPTION;
    }
    rc = flx_http_respond(req, status, h, n, body.p, body.len);
    flx_js_view_release(ctx, &body);
  }
  free_headers(ctx, h, n);
  return answer_code(ctx, rc);
}

static JSValue handle_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  flx_http_req_t *req = req_of(ctx, this_val);
  if (req == NULL)
    return JS_EXCEPTION;
  flx_js_view_t chunk;
  if (flx_js_view(ctx, argc ? argv[0] : JS_UNDEFINED, &chunk) < 0)
    return JS_EXCEPTION;
  int rc = chunk.len ? flx_http_write(req, chunk.p, chunk.len) : 0;
  flx_js_view_release(ctx, &chunk);
  return answer_code(ctx, rc);
}

static JSValue handle_end(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)argc;
  (void)argv;
  flx_http_req_t *req = req_of(ctx, this_val);
  if (req == NULL)
    return JS_EXCEPTION;
  return answer_code(ctx, flx_http_end(req));
}

/* handle.state(): 0 nothing sent, 1 head sent, 2 answered (any worker). */
static JSValue handle_state(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)argc;
  (void)argv;
  flx_http_req_t *req = req_of(ctx, this_val);
  return req ? JS_NewInt32(ctx, flx_http_req_answered(req)) : JS_EXCEPTION;
}

/* handle.id(): the same number on every worker for one request. */
static JSValue handle_id(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)argc;
  (void)argv;
  flx_http_req_t *req = req_of(ctx, this_val);
  return req ? JS_NewFloat64(ctx, (double)(uintptr_t)req) : JS_EXCEPTION;
}

static JSValue handle_respond(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return handle_answer(ctx, this_val, argc, argv, 0);
}

static JSValue handle_head(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return handle_answer(ctx, this_val, argc, argv, 1);
}

static const JSCFunctionListEntry handle_proto[] = {
  JS_CFUNC_DEF("info", 0, handle_info),
  JS_CFUNC_DEF("body", 0, handle_body),
  JS_CFUNC_DEF("respond", 4, handle_respond),
  JS_CFUNC_DEF("head", 3, handle_head),
  JS_CFUNC_DEF("write", 1, handle_write),
  JS_CFUNC_DEF("end", 0, handle_end),
  JS_CFUNC_DEF("state", 0, handle_state),
  JS_CFUNC_DEF("id", 0, handle_id),
};

/* ---- servers ------------------------------------------------------------------ */

/* __flx.listen(port, host, listener): publishes the listener (every worker
 * rebuilds it from the published clone when its first request comes) and
 * starts accepting on every worker. Returns [port, the server's index]. */
static JSValue native_listen(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  flx_js_host_t *h = w->host;
  int32_t port = 0;
  if (argc < 3)
    return JS_ThrowTypeError(ctx, "__flx.listen(port, host, listener)");
  JS_ToInt32(ctx, &port, argv[0]);
  const char *host = JS_IsString(argv[1]) ? JS_ToCString(ctx, argv[1]) : NULL;
  int k = atomic_fetch_add(&h->nservers, 1);
  if (k >= FLX_JS_MAX_SERVERS) {
    if (host)
      JS_FreeCString(ctx, host);
    return JS_ThrowRangeError(ctx, "more than %d http servers", FLX_JS_MAX_SERVERS);
  }
  if (atomic_load(&h->main_done)) {
    int id = flx_js_publish(w, argv[2], "listen");
    if (id < 0) {
      if (host)
        JS_FreeCString(ctx, host);
      return JS_EXCEPTION;
    }
    atomic_store(&h->server_listener[k], id);
  } else {   /* published when main ends: flx_js_http_publish_listeners */
    atomic_store(&h->server_listener[k], -1);
    w->listeners[k] = JS_DupValue(ctx, argv[2]);
  }
  flx_http_server_t *srv;
  int rc = flx_http_server_new(h->rt, NULL, &srv);
  if (rc == 0)
    rc = flx_http_route(srv, "*", "*", h->server_fluxions[k], FLX_WRITE);
  if (rc == 0 && host)
    rc = flx_http_listen(srv, host, port);
  else if (rc == 0) {   /* as node: every address, IPv6 and IPv4 mapped into it, else IPv4's */
    rc = flx_http_listen(srv, "::", port);
    if (rc && rc != FLX_EADDRINUSE)
      rc = flx_http_listen(srv, "0.0.0.0", port);
  }
  if (host)
    JS_FreeCString(ctx, host);
  if (rc) {   /* as Node: an Error with code and port */
    const char *name = rc == FLX_EADDRINUSE ? "EADDRINUSE" : flx_strerror(rc);
    JSValue e = JS_NewError(ctx);
    char msg[160];
    snprintf(msg, sizeof msg, "listen %s: address already in use :::%d", name, port);
    JS_SetPropertyStr(ctx, e, "message", JS_NewString(ctx, msg));
    JS_SetPropertyStr(ctx, e, "code", JS_NewString(ctx, name));
    JS_SetPropertyStr(ctx, e, "port", JS_NewInt32(ctx, port));
    return JS_Throw(ctx, e);
  }
  h->servers[k] = srv;
  JSValue r = JS_NewArray(ctx);   /* [port, server] */
  JS_SetPropertyUint32(ctx, r, 0, JS_NewInt32(ctx, flx_http_port(srv)));
  JS_SetPropertyUint32(ctx, r, 1, JS_NewInt32(ctx, k));
  return r;
}

/* __flx.closeServer(k): server.close(), from any worker. */
static JSValue native_close(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  int32_t k = -1;
  if (argc > 0)
    JS_ToInt32(ctx, &k, argv[0]);
  if (k < 0 || k >= atomic_load(&w->host->nservers) || w->host->servers[k] == NULL)
    return JS_FALSE;
  return JS_NewBool(ctx, flx_http_close(w->host->servers[k]) == 0);
}

/* A request to server k, on this worker: require('http').__serve(handle, listener). */
void flx_js_http_serve(flx_ctx_t *ctx, flx_msg_t *msg) {
  flx_js_worker_t *w = flx_ctx_worker_data(ctx);
  flx_js_host_t *h = w->host;
  JSContext *jc = w->ctx;
  int k = 0;
  while (k < FLX_JS_MAX_SERVERS && h->server_fluxions[k] != flx_ctx_fluxion(ctx))
    k++;
  if (k == FLX_JS_MAX_SERVERS || msg->ref == NULL)
    return;
  int published = atomic_load(&h->server_listener[k]);
  if (published == -1) {
    /* Main is still running elsewhere: this request waits for its end, as
     * under node a connection waits until the program's first turn ends. */
    flx_http_req_ref(msg->ref);
    flx_timer_start(h->rt, &(flx_timer_options_t){.to = h->server_fluxions[k], .timeout_ms = 1,
                                                  .ref = msg->ref,
                                                  .release = flx_http_req_unref},
                    NULL);
    return;
  }
  w->current = ctx;
  if (JS_IsUndefined(w->listeners[k])) {
    w->listeners[k] = flx_js_published(w, published);
    if (JS_IsException(w->listeners[k])) {
      flx_js_report(w, "http");
      w->listeners[k] = JS_UNDEFINED;
      w->current = NULL;
      return;   /* the request's last reference goes: libflx answers 500 */
    }
  }
  if (JS_IsUndefined(w->serve)) {
    JSValue http = flx_js_require(w, "http");
    w->serve = JS_GetPropertyStr(jc, http, "__serve");
    JS_FreeValue(jc, http);
  }
  flx_http_req_ref(msg->ref);   /* the handle's own reference */
  JSValue args[2] = {flx_js_http_wrap(jc, 0, msg->ref), w->listeners[k]};
  JSValue r = JS_Call(jc, w->serve, JS_UNDEFINED, 2, args);
  if (JS_IsException(r))
    flx_js_report(w, "http");
  JS_FreeValue(jc, r);
  JS_FreeValue(jc, args[0]);
  flx_js_drain(w, "http");
  w->current = NULL;
}

/* Main has run: the listeners it gave to listen are published now, with the
 * routes it added after listen; this worker rebuilds them from there too, as
 * the others do. */
void flx_js_http_publish_listeners(flx_js_worker_t *w) {
  flx_js_host_t *h = w->host;
  int n = atomic_load(&h->nservers);
  for (int k = 0; k < n && k < FLX_JS_MAX_SERVERS; k++) {
    if (atomic_load(&h->server_listener[k]) >= 0 || JS_IsUndefined(w->listeners[k]))
      continue;
    int id = flx_js_publish(w, w->listeners[k], "listen");
    if (id < 0)
      flx_js_report(w, "main");
    JS_FreeValue(w->ctx, w->listeners[k]);
    w->listeners[k] = JS_UNDEFINED;
    atomic_store(&h->server_listener[k], id < 0 ? -2 : id);   /* -2: each request 500 */
  }
  atomic_store(&h->main_done, true);
}

void flx_js_http_init(flx_js_worker_t *w) {
  JSClassDef def = {.class_name = "HttpHandle", .finalizer = finalize_handle};
  JS_SetRuntimeOpaque(w->rt, w);
  JS_NewClass(w->rt, w->host->req_class, &def);
  JSValue proto = JS_NewObject(w->ctx);
  JS_SetPropertyFunctionList(w->ctx, proto, handle_proto, sizeof handle_proto / sizeof *handle_proto);
  JS_SetClassProto(w->ctx, w->host->req_class, proto);
  JS_SetPropertyStr(w->ctx, w->flx, "listen", JS_NewCFunction(w->ctx, native_listen, "listen", 3));
  JS_SetPropertyStr(w->ctx, w->flx, "closeServer", JS_NewCFunction(w->ctx, native_close, "closeServer", 1));
  /* http.STATUS_CODES: the phrases the status lines use, one table */
  JSValue codes = JS_NewObject(w->ctx);
  for (int status = 100; status < 600; status++)
    if (strcmp(flx_http_status_text(status), "unknown") != 0)
      JS_SetPropertyUint32(w->ctx, codes, (uint32_t)status, JS_NewString(w->ctx, flx_http_status_text(status)));
  JS_SetPropertyStr(w->ctx, w->flx, "statusCodes", codes);
  for (int k = 0; k < FLX_JS_MAX_SERVERS; k++)
    w->listeners[k] = JS_UNDEFINED;
  w->serve = JS_UNDEFINED;
}

void flx_js_http_free(flx_js_worker_t *w) {
  for (int k = 0; k < FLX_JS_MAX_SERVERS; k++)
    JS_FreeValue(w->ctx, w->listeners[k]);
  JS_FreeValue(w->ctx, w->serve);
}
