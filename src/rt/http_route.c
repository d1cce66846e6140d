/* http_route.c — routes: a method and a path pattern ("/users/:id",
 * "/files/" then a star, or a lone star) mapped to a fluxion; the first route that matches wins. */
#include "http.h"

#include <stdlib.h>
#include <string.h>

/* Splits a path into its segments (no empty ones), in place. */
static size_t split(char *path, char **segs, size_t max) {
  size_t n = 0;
  char *save = NULL;
  for (char *tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save))
    if (n < max)
      segs[n++] = tok;
    else
      return max + 1;
  return n;
}

int flx_http_route(flx_http_server_t *srv, const char *method,
                   const char *pattern, flx_fluxion_t *to,
                   enum flx_access access) {
  char *segs[64];
  if (srv == NULL || method == NULL || pattern == NULL || to == NULL ||
      access > FLX_READ)
    return FLX_EINVAL;
  if (srv->listener)
    return FLX_EBUSY;
  route_t r = {.method = flx__strdup(method), .pattern = flx__strdup(pattern),
               .to = to, .access = access};
  char *copy = flx__strdup(pattern);
  size_t n = split(copy, segs, 64);
  if (n > 64) {
    free(copy);
    free(r.method);
    free(r.pattern);
    return FLX_EINVAL;
  }
  if (n && strcmp(segs[n - 1], "*") == 0) {
    r.rest = true;
    n--;
  }
  r.segs = flx__malloc((n + 1) * sizeof *r.segs);
  for (size_t i = 0; i < n; i++)
    r.segs[i] = flx__strdup(segs[i]);
  r.nsegs = n;
  free(copy);
  srv->routes = flx__realloc(srv->routes, (srv->nroutes + 1) * sizeof *srv->routes);
  srv->routes[srv->nroutes++] = r;
  return 0;
}

void flx__http_routes_free(flx_http_server_t *srv) {
  for (size_t i = 0; i < srv->nroutes; i++) {
    route_t *r = &srv->routes[i];
    for (size_t k = 0; k < r->nsegs; k++)
      free(r->segs[k]);
    free(r->segs);
    free(r->method);
    free(r->pattern);
  }
  free(srv->routes);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decodes in place, as Express decodes route parameters. */
static void decode(char *s) {
  char *out = s;
  for (; *s; s++) {
    int hi, lo;
    if (*s == '%' && (hi = hexval(s[1])) >= 0 && (lo = hexval(s[2])) >= 0) {
      *out++ = (char)(hi * 16 + lo);
      s += 2;
    } else {
      *out++ = *s;
    }
  }
  *out = '\0';
}

static bool match(const route_t *r, flx_http_req_t *req) {
  char *segs[64];
  const char *method = flx_http_req_method(req);
  if (strcmp(r->method, "*") != 0 && strcmp(r->method, method) != 0 &&
      !(strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
    return false;

  strbuf_t path = {0};
  flx__strbuf_add(&path, flx_http_req_path(req), strlen(flx_http_req_path(req)));
  size_t n = split(path.p, segs, 64);
  bool ok = n <= 64 && (r->rest ? n >= r->nsegs : n == r->nsegs);
  size_t nparams = 0;
  for (size_t i = 0; ok && i < r->nsegs; i++) {
    if (r->segs[i][0] == ':' && nparams < FLX__HTTP_MAX_PARAMS)
      nparams++;
    else if (strcmp(r->segs[i], segs[i]) != 0)
      ok = false;
  }
  if (ok) {   /* keep the values in the request's text */
    nparams = 0;
    for (size_t i = 0; i < r->nsegs; i++) {
      if (r->segs[i][0] != ':' || nparams >= FLX__HTTP_MAX_PARAMS)
        continue;
      decode(segs[i]);
      req->params[nparams].name = r->segs[i] + 1;
      req->params[nparams].value = (const char *)(uintptr_t)
          flx__strbuf_add(&req->text, segs[i], strlen(segs[i]) + 1);
      nparams++;
    }
    for (size_t i = 0; i < nparams; i++)   /* offsets → pointers */
      req->params[i].value = req->text.p + (uintptr_t)req->params[i].value;
    req->nparams = nparams;
  }
  free(path.p);
  return ok;
}

const route_t *flx__http_match(const flx_http_server_t *srv, flx_http_req_t *req) {
  for (size_t i = 0; i < srv->nroutes; i++)
    if (match(&srv->routes[i], req))
      return &srv->routes[i];
  return NULL;
}
