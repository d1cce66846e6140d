/* mod_http.c — the `http` module: http.createServer(listener).listen(port),
 * with requests and responses as movable handles around libflx's
 * flx_http_req_t, so that `res.end()` from any worker answers the right
 * connection. The listener is a placeholder (`>> onReq`): each request
 * starts a chain at that fluxion. */
#include "host.h"

#include <stdlib.h>
#include <string.h>

enum { REQ, RES };

static flx_js_worker_t *worker_of_rt(JSRuntime *rt) {
  return JS_GetRuntimeOpaque(rt);
}

/* A wrapper holds one reference to its request; its finalizer drops it. */
static void finalize_req(JSRuntime *rt, JSValue v) {
  void *req = JS_GetOpaque(v, worker_of_rt(rt)->host->req_class);
  if (req)
    flx_http_req_unref(req);
}

static void finalize_res(JSRuntime *rt, JSValue v) {
  void *req = JS_GetOpaque(v, worker_of_rt(rt)->host->res_class);
  if (req)
    flx_http_req_unref(req);
}

void flx_js_http_ref(void *req) {
  flx_http_req_ref(req);
}

static flx_http_req_t *req_of(JSContext *ctx, JSValueConst res) {
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  return JS_GetOpaque(res, w->host->res_class);
}

/* this.__headers as an array for flx_http_*; the strings are the caller's to
 * free with free_headers. */
static size_t headers_of(JSContext *ctx, JSValueConst res, flx_http_header_t *out, size_t max) {
  JSValue h = JS_GetPropertyStr(ctx, res, "__headers");
  JSPropertyEnum *tab;
  uint32_t n = 0;
  size_t k = 0;
  if (JS_IsObject(h) &&
      JS_GetOwnPropertyNames(ctx, &tab, &n, h, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) == 0) {
    for (uint32_t i = 0; i < n; i++) {
      if (k < max) {
        JSValue v = JS_GetProperty(ctx, h, tab[i].atom);
        out[k].name = JS_AtomToCString(ctx, tab[i].atom);
        out[k].value = JS_ToCString(ctx, v);
        JS_FreeValue(ctx, v);
        k++;
      }
      JS_FreeAtom(ctx, tab[i].atom);
    }
    js_free(ctx, tab);
  }
  JS_FreeValue(ctx, h);
  return k;
}

static void free_headers(JSContext *ctx, flx_http_header_t *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    JS_FreeCString(ctx, h[i].name);
    JS_FreeCString(ctx, h[i].value);
  }
}

static int status_of(JSContext *ctx, JSValueConst res) {
  int32_t status = 200;
  JSValue s = JS_GetPropertyStr(ctx, res, "statusCode");
  if (!JS_IsUndefined(s))
    JS_ToInt32(ctx, &status, s);
  JS_FreeValue(ctx, s);
  return status;
}

static JSValue res_set_header(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (argc < 2)
    return JS_ThrowTypeError(ctx, "setHeader(name, value)");
  JSValue h = JS_GetPropertyStr(ctx, this_val, "__headers");
  JS_SetProperty(ctx, h, JS_ValueToAtom(ctx, argv[0]), JS_DupValue(ctx, argv[1]));
  JS_FreeValue(ctx, h);
  return JS_UNDEFINED;
}

static JSValue res_write_head(JSContext *ctx, JSValueConst this_val, int argc,
                              JSValueConst *argv) {
  if (argc > 0)
    JS_SetPropertyStr(ctx, this_val, "statusCode", JS_DupValue(ctx, argv[0]));
  if (argc > 1 && JS_IsObject(argv[argc - 1])) {   /* writeHead(status[, text], headers) */
    JSValue assign = JS_Eval(ctx, "(t, s) => Object.assign(t, s)", 30, "<http>", 0);
    JSValue h = JS_GetPropertyStr(ctx, this_val, "__headers");
    JSValue args[2] = {h, argv[argc - 1]};
    JS_FreeValue(ctx, JS_Call(ctx, assign, JS_UNDEFINED, 2, args));
    JS_FreeValue(ctx, h);
    JS_FreeValue(ctx, assign);
  }
  return JS_DupValue(ctx, this_val);
}

/* The bytes of a string or a typed array argument. */
static const char *bytes_of(JSContext *ctx, JSValueConst v, size_t *len, bool *is_string) {
  *is_string = false;
  if (JS_IsUndefined(v) || JS_IsNull(v)) {
    *len = 0;
    return NULL;
  }
  size_t off, blen, bpe;
  JSValue buf = JS_GetTypedArrayBuffer(ctx, v, &off, &blen, &bpe);
  if (!JS_IsException(buf)) {
    size_t size;
    uint8_t *p = JS_GetArrayBuffer(ctx, &size, buf);
    JS_FreeValue(ctx, buf);
    *len = blen;
    return (const char *)p + off;
  }
  JS_FreeValue(ctx, JS_GetException(ctx));   /* not a typed array */
  *is_string = true;
  return JS_ToCStringLen(ctx, len, v);
}

static bool head_sent(JSContext *ctx, JSValueConst res) {
  JSValue s = JS_GetPropertyStr(ctx, res, "headersSent");
  bool sent = JS_ToBool(ctx, s);
  JS_FreeValue(ctx, s);
  return sent;
}

static int send_head(JSContext *ctx, JSValueConst res, flx_http_req_t *req) {
  flx_http_header_t h[64];
  size_t n = headers_of(ctx, res, h, 64);
  int rc = flx_http_write_head(req, status_of(ctx, res), h, n);
  free_headers(ctx, h, n);
  JS_SetPropertyStr(ctx, res, "headersSent", JS_TRUE);
  return rc;
}

static JSValue res_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  flx_http_req_t *req = req_of(ctx, this_val);
  if (req == NULL)
    return JS_ThrowTypeError(ctx, "not a response");
  if (!head_sent(ctx, this_val))
    send_head(ctx, this_val, req);
  size_t len;
  bool str;
  const char *p = bytes_of(ctx, argc ? argv[0] : JS_UNDEFINED, &len, &str);
  int rc = flx_http_write(req, p, len);
  if (str && p)
    JS_FreeCString(ctx, p);
  if (rc)
    return JS_ThrowInternalError(ctx, "write after end (%s)", flx_strerror(rc));
  return JS_TRUE;
}

static JSValue res_end(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  flx_http_req_t *req = req_of(ctx, this_val);
  if (req == NULL)
    return JS_ThrowTypeError(ctx, "not a response");
  size_t len;
  bool str;
  const char *p = bytes_of(ctx, argc ? argv[0] : JS_UNDEFINED, &len, &str);
  int rc;
  if (head_sent(ctx, this_val)) {
    rc = len ? flx_http_write(req, p, len) : 0;
    if (rc == 0)
      rc = flx_http_end(req);
  } else {
    flx_http_header_t h[64];
    size_t n = headers_of(ctx, this_val, h, 64);
    rc = flx_http_respond(req, status_of(ctx, this_val), h, n, p, len);
    free_headers(ctx, h, n);
    JS_SetPropertyStr(ctx, this_val, "headersSent", JS_TRUE);
  }
  if (str && p)
    JS_FreeCString(ctx, p);
  if (rc == FLX_EALREADY) {   /* as Node: an error logged, the first answer stands */
    fprintf(stderr, "flx: Error [ERR_STREAM_WRITE_AFTER_END]: write after end\n");
    return JS_UNDEFINED;
  }
  return JS_DupValue(ctx, this_val);
}

static const JSCFunctionListEntry res_proto[] = {
  JS_CFUNC_DEF("setHeader", 2, res_set_header),
  JS_CFUNC_DEF("writeHead", 2, res_write_head),
  JS_CFUNC_DEF("write", 1, res_write),
  JS_CFUNC_DEF("end", 1, res_end),
};

JSValue flx_js_http_wrap(JSContext *ctx, int kind, void *ptr) {
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  flx_http_req_t *req = ptr;
  JSValue o = JS_NewObjectClass(ctx, (int)(kind == REQ ? w->host->req_class : w->host->res_class));
  JS_SetOpaque(o, req);
  if (kind == REQ) {
    JS_SetPropertyStr(ctx, o, "method", JS_NewString(ctx, flx_http_req_method(req)));
    JS_SetPropertyStr(ctx, o, "url", JS_NewString(ctx, flx_http_req_url(req)));
    JSValue h = JS_NewObject(ctx);
    for (size_t i = 0; i < flx_http_req_header_count(req); i++) {
      flx_http_header_t hd = flx_http_req_header_at(req, i);
      JS_SetPropertyStr(ctx, h, hd.name, JS_NewString(ctx, hd.value));
    }
    JS_SetPropertyStr(ctx, o, "headers", h);
  } else {
    JS_SetPropertyStr(ctx, o, "statusCode", JS_NewInt32(ctx, 200));
    JS_SetPropertyStr(ctx, o, "__headers", JS_NewObject(ctx));
  }
  return o;
}

/* ---- the module ------------------------------------------------------------- */

static JSValue server_listen(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  flx_js_worker_t *w = JS_GetContextOpaque(ctx);
  flx_js_host_t *h = w->host;
  int32_t port = 0, dest = -1;
  if (argc > 0)
    JS_ToInt32(ctx, &port, argv[0]);
  JSValue d = JS_GetPropertyStr(ctx, this_val, "__dest");
  JS_ToInt32(ctx, &dest, d);
  JS_FreeValue(ctx, d);
  if (dest < 0)
    return JS_ThrowTypeError(ctx, "http.createServer: the listener is not a fluxion");
  if (h->http != NULL)
    return JS_ThrowInternalError(ctx, "one http server per program, for now");
  int rc = flx_http_server_new(h->rt, NULL, &h->http);
  if (rc == 0)
    rc = flx_http_route(h->http, "*", "*", h->rf[dest], FLX_WRITE);
  if (rc == 0)
    rc = flx_http_listen(h->http, "0.0.0.0", port);
  if (rc)
    return JS_ThrowInternalError(ctx, "listen EADDRINUSE or similar: %s (port %d)",
                                 flx_strerror(rc), port);
  for (int i = 1; i < argc; i++)   /* listen(port[, host], callback) */
    if (JS_IsFunction(ctx, argv[i]))
      JS_FreeValue(ctx, JS_Call(ctx, argv[i], JS_UNDEFINED, 0, NULL));
  return JS_DupValue(ctx, this_val);
}

static JSValue create_server(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  JSValue server = JS_NewObject(ctx);
  JSValue dest = argc ? JS_GetPropertyStr(ctx, argv[0], "__flx_dest") : JS_UNDEFINED;
  JS_SetPropertyStr(ctx, server, "__dest", JS_IsUndefined(dest) ? JS_NewInt32(ctx, -1) : dest);
  JS_SetPropertyStr(ctx, server, "listen", JS_NewCFunction(ctx, server_listen, "listen", 1));
  return server;
}

JSValue flx_js_http_module(flx_js_worker_t *w) {
  JSValue m = JS_NewObject(w->ctx);
  JS_SetPropertyStr(w->ctx, m, "createServer",
                    JS_NewCFunction(w->ctx, create_server, "createServer", 1));
  return m;
}

void flx_js_http_init(flx_js_worker_t *w) {
  JSClassDef req_def = {.class_name = "IncomingMessage", .finalizer = finalize_req};
  JSClassDef res_def = {.class_name = "ServerResponse", .finalizer = finalize_res};
  JS_SetRuntimeOpaque(w->rt, w);
  JS_NewClass(w->rt, w->host->req_class, &req_def);
  JS_NewClass(w->rt, w->host->res_class, &res_def);
  JSValue proto = JS_NewObject(w->ctx);
  JS_SetPropertyFunctionList(w->ctx, proto, res_proto, sizeof res_proto / sizeof *res_proto);
  JS_SetClassProto(w->ctx, w->host->res_class, proto);
}
