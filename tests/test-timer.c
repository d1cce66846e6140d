/* test-timer.c — timers start messages once, or repeatedly until stopped. */
#include "test.h"

#include <stdatomic.h>

static atomic_int once_runs, repeat_runs, never_runs;
static uint64_t repeat_id;

static void once(flx_ctx_t *ctx, flx_msg_t *msg) {
  ASSERT_EQ(msg->kind, FLX_START);
  ASSERT_STR_EQ(msg->data, "tick");
  atomic_fetch_add(&once_runs, 1);
  (void)ctx;
}

static void repeat(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)msg;
  if (atomic_fetch_add(&repeat_runs, 1) + 1 == 3)
    ASSERT_OK(flx_timer_stop(flx_ctx_runtime(ctx), repeat_id));
}

static atomic_int releases;
static void count_release(void *ref) { (void)ref; atomic_fetch_add(&releases, 1); }

static void never(flx_ctx_t *ctx, flx_msg_t *msg) {
  (void)ctx; (void)msg;
  atomic_fetch_add(&never_runs, 1);
}

TEST_IMPL(timer_one_shot_and_repeat) {
  flx_runtime_t *rt;
  flx_fluxion_t *f_once, *f_repeat;
  uint64_t id;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2}));
  ASSERT_OK(flx_fluxion_new(rt, "once", once, NULL, &f_once));
  ASSERT_OK(flx_fluxion_new(rt, "repeat", repeat, NULL, &f_repeat));
  bg_runtime_t *bg = bg_start(rt);
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){.to = f_once, .timeout_ms = 10,
                                                      .data = "tick", .len = 4}, &id));
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){.to = f_repeat, .timeout_ms = 5,
                                                      .repeat_ms = 5}, &repeat_id));
  for (int i = 0; i < 2000 && (once_runs < 1 || repeat_runs < 3); i++)
    sleep_ms(1);
  sleep_ms(60);   /* room for a wrong extra firing to show */
  bg_stop(bg);
  ASSERT_EQ(once_runs, 1);
  ASSERT_EQ(repeat_runs, 3);
  flx_runtime_free(rt);
  return 0;
}

TEST_IMPL(timer_stop_before_fire) {
  flx_runtime_t *rt;
  flx_fluxion_t *f;
  uint64_t id, pending;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2}));
  ASSERT_OK(flx_fluxion_new(rt, "never", never, NULL, &f));
  bg_runtime_t *bg = bg_start(rt);
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){.to = f, .timeout_ms = 50}, &id));
  ASSERT_OK(flx_timer_stop(rt, id));
  ASSERT_EQ(flx_timer_stop(rt, 0), FLX_EINVAL);
  /* A timer still pending when the runtime stops is dropped, not fired, and
   * its ref released. */
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){.to = f, .timeout_ms = 60000,
                                                      .ref = &pending, .release = count_release},
                            &pending));
  sleep_ms(120);
  bg_stop(bg);
  ASSERT_EQ(never_runs, 0);
  ASSERT_EQ(releases, 1);
  ASSERT_EQ(flx_timer_start(rt, &(flx_timer_options_t){.to = f, .timeout_ms = 1,
                                                      .ref = &id, .release = count_release},
                            &id),
            FLX_ECANCELED);
  ASSERT_EQ(releases, 2);
  flx_runtime_free(rt);
  return 0;
}

/* A timer started on a runtime that never runs: freed with it, its ref
 * released. */
TEST_IMPL(timer_on_a_runtime_that_never_runs) {
  flx_runtime_t *rt;
  flx_fluxion_t *f;
  uint64_t id;
  ASSERT_OK(flx_runtime_new(&rt, &(flx_options_t){.workers = 2}));
  ASSERT_OK(flx_fluxion_new(rt, "never", never, NULL, &f));
  int before = releases;
  ASSERT_OK(flx_timer_start(rt, &(flx_timer_options_t){.to = f, .timeout_ms = 5,
                                                      .ref = &id, .release = count_release},
                            &id));
  flx_runtime_free(rt);
  ASSERT_EQ(releases, before + 1);
  return 0;
}
