/* mod_crypto.c — the native half of `crypto` (src/js/lib/crypto.js), on
 * OpenSSL's libcrypto: digests, HMAC, random bytes and PBKDF2. Each takes
 * the whole input (a Hash object gathers its update()s in JavaScript). */
#include "host.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <string.h>

static const EVP_MD *digest_of(JSContext *ctx, JSValueConst name) {
  const char *s = JS_ToCString(ctx, name);
  if (s == NULL)
    return NULL;
  char lower[32];
  size_t i = 0;
  for (; s[i] && i < sizeof lower - 1; i++)
    lower[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
  lower[i] = '\0';
  const EVP_MD *md = EVP_get_digestbyname(lower);
  if (md == NULL) {
    JS_ThrowInternalError(ctx, "Digest method not supported");   /* Node's words */
    JS_FreeCString(ctx, s);
    return NULL;
  }
  JS_FreeCString(ctx, s);
  return md;
}

/* hash(alg, chunks[]) / hmac(alg, key, chunks[]) → ArrayBuffer */
static JSValue digest(JSContext *ctx, const EVP_MD *md, JSValueConst key, JSValueConst chunks) {
  uint32_t n = 0;
  JSValue len = JS_GetPropertyStr(ctx, chunks, "length");
  JS_ToUint32(ctx, &n, len);
  JS_FreeValue(ctx, len);
  uint8_t out[EVP_MAX_MD_SIZE];
  unsigned int outlen = 0;
  EVP_MD_CTX *mdc = NULL;
  EVP_MAC *mac = NULL;
  EVP_MAC_CTX *hc = NULL;
  if (JS_IsUndefined(key)) {
    mdc = EVP_MD_CTX_new();
    EVP_DigestInit_ex(mdc, md, NULL);
  } else {
    flx_js_view_t k;
    if (flx_js_view(ctx, key, &k) < 0)
      return JS_EXCEPTION;
    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    hc = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(md), 0),
      OSSL_PARAM_construct_end()};
    EVP_MAC_init(hc, k.p, k.len, params);
    flx_js_view_release(ctx, &k);
  }
  for (uint32_t i = 0; i < n; i++) {
    JSValue c = JS_GetPropertyUint32(ctx, chunks, i);
    flx_js_view_t part;
    if (flx_js_view(ctx, c, &part) == 0) {
      if (mdc)
        EVP_DigestUpdate(mdc, part.p, part.len);
      else
        EVP_MAC_update(hc, part.p, part.len);
      flx_js_view_release(ctx, &part);
    }
    JS_FreeValue(ctx, c);
  }
  if (mdc) {
    EVP_DigestFinal_ex(mdc, out, &outlen);
    EVP_MD_CTX_free(mdc);
  } else {
    size_t n_out = 0;
    EVP_MAC_final(hc, out, &n_out, sizeof out);
    outlen = (unsigned int)n_out;
    EVP_MAC_CTX_free(hc);
    EVP_MAC_free(mac);
  }
  return JS_NewArrayBufferCopy(ctx, out, outlen);
}

static JSValue js_hash(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const EVP_MD *md = argc >= 2 ? digest_of(ctx, argv[0]) : NULL;
  return md ? digest(ctx, md, JS_UNDEFINED, argv[1]) : JS_EXCEPTION;
}

/* etag(string | bytes) → Express's weak ETag, W/"<length in hex>-<27
 * characters of the SHA-1's base64>" (the etag package's), in one call: in
 * JavaScript it was a Buffer, a Hash object and a base64 string per res.send. */
static JSValue js_etag(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  flx_js_view_t v;
  if (flx_js_view(ctx, argc ? argv[0] : JS_UNDEFINED, &v) < 0)
    return JS_EXCEPTION;
  flx_js_worker_t *w = JS_GetRuntimeOpaque(JS_GetRuntime(ctx));
  uint8_t sha[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  char tag[96];
  if (EVP_DigestInit_ex2(w->etag, w->sha1, NULL) != 1 ||
      EVP_DigestUpdate(w->etag, v.p, v.len) != 1 || EVP_DigestFinal_ex(w->etag, sha, &n) != 1) {
    flx_js_view_release(ctx, &v);
    return JS_ThrowInternalError(ctx, "SHA-1 failed");
  }
  EVP_EncodeBlock(b64, sha, (int)n);
  snprintf(tag, sizeof tag, "W/\"%zx-%.27s\"", v.len, (const char *)b64);
  flx_js_view_release(ctx, &v);
  return JS_NewString(ctx, tag);
}

static JSValue js_hmac(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  const EVP_MD *md = argc >= 3 ? digest_of(ctx, argv[0]) : NULL;
  return md ? digest(ctx, md, argv[1], argv[2]) : JS_EXCEPTION;
}

static JSValue js_random_bytes(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  int32_t n = 0;
  if (argc < 1 || JS_ToInt32(ctx, &n, argv[0]) || n < 0 || n > (1 << 30))
    return JS_ThrowRangeError(ctx, "The value of \"size\" is out of range.");
  uint8_t *p = js_malloc(ctx, (size_t)n + 1);
  if (p == NULL)
    return JS_EXCEPTION;
  if (RAND_bytes(p, n) != 1) {
    js_free(ctx, p);
    return JS_ThrowInternalError(ctx, "randomBytes: no entropy");
  }
  JSValue ab = JS_NewArrayBufferCopy(ctx, p, (size_t)n);
  js_free(ctx, p);
  return ab;
}

/* A key derivation's parameters past the password and salt. */
typedef struct kdf_s {
  int iterations;           /* PBKDF2 */
  const EVP_MD *md;
  uint64_t n, r, p, maxmem; /* scrypt */
} kdf_t;

static int pbkdf2_into(const flx_js_view_t *pw, const flx_js_view_t *salt, const kdf_t *k,
                       uint8_t *out, size_t keylen) {
  return PKCS5_PBKDF2_HMAC((const char *)pw->p, (int)pw->len, salt->p, (int)salt->len,
                           k->iterations, k->md, (int)keylen, out);
}

static int scrypt_into(const flx_js_view_t *pw, const flx_js_view_t *salt, const kdf_t *k,
                       uint8_t *out, size_t keylen) {
  return EVP_PBE_scrypt((const char *)pw->p, pw->len, salt->p, salt->len, k->n, k->r, k->p,
                        k->maxmem, out, keylen);
}

/* The key derive makes from argv[0] (the password) and argv[1] (the salt),
 * as an ArrayBuffer; JS_NULL if derive failed, for the caller to say why. */
static JSValue derive_key(JSContext *ctx, JSValueConst *argv, size_t keylen, const kdf_t *k,
                          int (*derive)(const flx_js_view_t *, const flx_js_view_t *,
                                        const kdf_t *, uint8_t *, size_t)) {
  flx_js_view_t pw = {0}, salt = {0};
  if (flx_js_view(ctx, argv[0], &pw) < 0 || flx_js_view(ctx, argv[1], &salt) < 0) {
    flx_js_view_release(ctx, &pw);
    return JS_EXCEPTION;
  }
  uint8_t *out = js_malloc(ctx, keylen + 1);
  JSValue r = JS_EXCEPTION;
  if (out)
    r = derive(&pw, &salt, k, out, keylen) == 1 ? JS_NewArrayBufferCopy(ctx, out, keylen) : JS_NULL;
  js_free(ctx, out);
  flx_js_view_release(ctx, &pw);
  flx_js_view_release(ctx, &salt);
  return r;
}

/* pbkdf2(password, salt, iterations, keylen, digest) → ArrayBuffer */
static JSValue js_pbkdf2(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  if (argc < 5)
    return JS_ThrowTypeError(ctx, "pbkdf2(password, salt, iterations, keylen, digest)");
  int32_t iter = 0, keylen = 0;
  JS_ToInt32(ctx, &iter, argv[2]);
  JS_ToInt32(ctx, &keylen, argv[3]);
  if (iter < 1 || keylen < 0 || keylen > (1 << 24))
    return JS_ThrowRangeError(ctx, "The value of \"iterations\" or \"keylen\" is out of range.");
  kdf_t k = {.iterations = iter, .md = digest_of(ctx, argv[4])};
  if (k.md == NULL)
    return JS_EXCEPTION;
  JSValue key = derive_key(ctx, argv, (size_t)keylen, &k, pbkdf2_into);
  return JS_IsNull(key) ? JS_ThrowInternalError(ctx, "pbkdf2 failed") : key;
}

/* scrypt(password, salt, keylen, N, r, p, maxmem) → ArrayBuffer; the
 * parameters are checked in crypto.js, OpenSSL checks the memory. */
static JSValue js_scrypt(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  if (argc < 7)
    return JS_ThrowTypeError(ctx, "scrypt(password, salt, keylen, N, r, p, maxmem)");
  int64_t keylen = 0, n = 0, r = 0, p = 0, maxmem = 0;
  if (JS_ToInt64(ctx, &keylen, argv[2]) || JS_ToInt64(ctx, &n, argv[3]) ||
      JS_ToInt64(ctx, &r, argv[4]) || JS_ToInt64(ctx, &p, argv[5]) || JS_ToInt64(ctx, &maxmem, argv[6]))
    return JS_EXCEPTION;
  if (keylen < 0 || keylen > (1 << 30) || n < 2 || r < 1 || p < 1 || maxmem < 0)
    return JS_ThrowRangeError(ctx, "Invalid scrypt params");
  kdf_t k = {.n = (uint64_t)n, .r = (uint64_t)r, .p = (uint64_t)p, .maxmem = (uint64_t)maxmem};
  JSValue key = derive_key(ctx, argv, (size_t)keylen, &k, scrypt_into);
  if (!JS_IsNull(key))
    return key;
  char why[256];   /* as Node words it: OpenSSL's reason after its own */
  ERR_error_string_n(ERR_get_error(), why, sizeof why);
  ERR_clear_error();
  return JS_ThrowRangeError(ctx, "Invalid scrypt params: %s", why);
}

static const JSCFunctionListEntry crypto_natives[] = {
  JS_CFUNC_DEF("hash", 2, js_hash),
  JS_CFUNC_DEF("hmac", 3, js_hmac),
  JS_CFUNC_DEF("etag", 1, js_etag),
  JS_CFUNC_DEF("randomBytes", 1, js_random_bytes),
  JS_CFUNC_DEF("pbkdf2", 5, js_pbkdf2),
  JS_CFUNC_DEF("scrypt", 7, js_scrypt),
};

/* The ETag's digest is fetched once and its context reused: EVP_Digest
 * with EVP_sha1() fetched the implementation and made a context each time,
 * ~4k instructions an answer. */
void flx_js_crypto_init(flx_js_worker_t *w) {
  w->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
  w->etag = EVP_MD_CTX_new();
  if (w->sha1 == NULL || w->etag == NULL)
    abort();
  JSValue o = JS_NewObject(w->ctx);
  JS_SetPropertyFunctionList(w->ctx, o, crypto_natives, sizeof crypto_natives / sizeof *crypto_natives);
  JS_SetPropertyStr(w->ctx, w->flx, "crypto", o);
}

void flx_js_crypto_free(flx_js_worker_t *w) {
  EVP_MD_CTX_free(w->etag);
  EVP_MD_free(w->sha1);
  w->etag = NULL;
  w->sha1 = NULL;
}
