/* test-core.c — containers, errors, and the API's refusals of bad input. */
#include "test.h"
#include "../src/rt/internal.h"

TEST_IMPL(map_put_get_del) {
  flx__map_t m = {0};
  ASSERT(flx__map_get(&m, 7) == NULL);
  ASSERT_EQ(flx__map_put(&m, 0, "x"), FLX_EINVAL);
  ASSERT_OK(flx__map_put(&m, 7, "seven"));
  ASSERT_OK(flx__map_put(&m, 9, "nine"));
  ASSERT_OK(flx__map_put(&m, 7, "SEVEN"));
  ASSERT_EQ(m.len, 2);
  ASSERT_STR_EQ(flx__map_get(&m, 7), "SEVEN");
  ASSERT_STR_EQ(flx__map_del(&m, 7), "SEVEN");
  ASSERT(flx__map_get(&m, 7) == NULL);
  ASSERT(flx__map_del(&m, 7) == NULL);
  ASSERT_STR_EQ(flx__map_get(&m, 9), "nine");
  flx__map_free(&m);
  return 0;
}

/* Many keys, deleted in an order that exercises backward-shift deletion. */
TEST_IMPL(map_grows) {
  flx__map_t m = {0};
  enum { N = 20000 };
  for (uintptr_t k = 1; k <= N; k++)
    ASSERT_OK(flx__map_put(&m, k * 1024, (void *)k));
  ASSERT_EQ(m.len, N);
  for (uintptr_t k = 1; k <= N; k += 2)
    ASSERT_EQ((uintptr_t)flx__map_del(&m, k * 1024), k);
  for (uintptr_t k = 1; k <= N; k++)
    ASSERT_EQ((uintptr_t)flx__map_get(&m, k * 1024), k % 2 ? 0 : k);
  ASSERT_EQ(m.len, N / 2);
  flx__map_free(&m);
  return 0;
}

TEST_IMPL(errors_have_names) {
  ASSERT_STR_EQ(flx_err_name(FLX_ECANCELED), "ECANCELED");
  ASSERT_STR_EQ(flx_strerror(FLX_ECANCELED), "the runtime has stopped");
  ASSERT_STR_EQ(flx_err_name(UV_ECONNRESET), "ECONNRESET");   /* from libuv */
  return 0;
}

static void nop(flx_ctx_t *ctx, flx_msg_t *msg) { (void)ctx; (void)msg; }

TEST_IMPL(runtime_new_free) {
  flx_runtime_t *rt;
  ASSERT_EQ(flx_runtime_new(&rt, &(flx_options_t){.workers = -1}), FLX_EINVAL);
  setenv("FLX_WORKERS", "3", 1);
  ASSERT_OK(flx_runtime_new(&rt, NULL));
  ASSERT_EQ(flx_runtime_workers(rt), 3);
  /* Messages sent to a runtime that never runs are freed with it. */
  flx_fluxion_t *f;
  ASSERT_OK(flx_fluxion_new(rt, "f", nop, NULL, &f));
  ASSERT_OK(flx_start(rt, f, "abc", 3));
  flx_runtime_free(rt);
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2}));
  ASSERT_EQ(flx_runtime_workers(rt), 2);
  flx_runtime_free(rt);
  return 0;
}

TEST_IMPL(fluxion_names_unique) {
  flx_runtime_t *rt;
  flx_fluxion_t *a, *b;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 1}));
  ASSERT_OK(flx_fluxion_new(rt, "a", nop, NULL, &a));
  ASSERT_EQ(flx_fluxion_new(rt, "a", nop, NULL, &b), FLX_EEXIST);
  ASSERT_EQ(flx_fluxion_new(rt, "", nop, NULL, &b), FLX_EINVAL);
  ASSERT_EQ(flx_fluxion_new(rt, "b", NULL, NULL, &b), FLX_EINVAL);
  ASSERT(flx_fluxion_find(rt, "a") == a);
  ASSERT(flx_fluxion_find(rt, "zz") == NULL);
  ASSERT_STR_EQ(flx_fluxion_name(a), "a");
  flx_group_t *g;
  ASSERT_EQ(flx_group_new(rt, "g", 1, &g), FLX_EINVAL);   /* no worker 1 */
  flx_runtime_stop(rt);
  ASSERT_OK(flx_runtime_run(rt));
  ASSERT_EQ(flx_runtime_run(rt), FLX_EBUSY);   /* once only */
  flx_runtime_free(rt);
  return 0;
}

static int released;
static void count_release(void *ref) { (void)ref; released++; }

TEST_IMPL(send_rejects_bad_input) {
  flx_runtime_t *rt;
  flx_fluxion_t *f, *j;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 1}));
  ASSERT_OK(flx_fluxion_new(rt, "f", nop, NULL, &f));
  ASSERT_OK(flx_fluxion_new(rt, "j", nop, &(flx_fluxion_options_t){.ports = 2}, &j));
  ASSERT_EQ(flx_send(rt, &(flx_send_t){.to = NULL}), FLX_EINVAL);
  ASSERT_EQ(flx_send(rt, &(flx_send_t){.to = f, .len = 3}), FLX_EINVAL);
  ASSERT_EQ(flx_send(rt, &(flx_send_t){.to = f, .port = 1, .ref = rt,
                                       .release = count_release}), FLX_EINVAL);
  ASSERT_EQ(released, 1);   /* a refused message's ref is released */
  ASSERT_EQ(flx_send(rt, &(flx_send_t){.to = j, .port = 2}), FLX_EINVAL);
  flx_runtime_stop(rt);     /* before run: run stops at once */
  ASSERT_OK(flx_runtime_run(rt));
  ASSERT_EQ(flx_send(rt, &(flx_send_t){.to = f, .ref = rt, .release = count_release}),
            FLX_ECANCELED);
  ASSERT_EQ(released, 2);
  flx_runtime_free(rt);
  return 0;
}

TEST_IMPL(join_rejects_duplicate_token) {
  flx_runtime_t *rt;
  flx_fluxion_t *j;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 1}));
  ASSERT_OK(flx_fluxion_new(rt, "j", nop, &(flx_fluxion_options_t){.ports = 2}, &j));
  ASSERT_OK(flx_send(rt, &(flx_send_t){.to = j, .kind = FLX_POST, .tag = 5, .port = 0}));
  ASSERT_EQ(flx_send(rt, &(flx_send_t){.to = j, .kind = FLX_POST, .tag = 5, .port = 0}),
            FLX_EEXIST);
  flx_runtime_free(rt);   /* the parked token is freed with the runtime */
  return 0;
}
