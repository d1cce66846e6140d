/* list.h — every test, once. XX(name, kind): kind CONCURRENCY tests also run
 * under ThreadSanitizer (make tsan). Adding a test: write TEST_IMPL(name) in
 * a tests/test-*.c file and add its line here. */
#define TEST_LIST(XX)                                                      \
  XX(map_put_get_del, UNIT)                                                \
  XX(map_grows, UNIT)                                                      \
  XX(errors_have_names, UNIT)                                              \
  XX(runtime_new_free, UNIT)                                               \
  XX(fluxion_names_unique, UNIT)                                           \
  XX(send_rejects_bad_input, UNIT)                                         \
  XX(messages_none_lost_or_duplicated, CONCURRENCY)                        \
  XX(messages_delivered_during_stop, CONCURRENCY)                          \
  XX(group_keeps_arrival_order, CONCURRENCY)                               \
  XX(pinned_group_runs_on_home, CONCURRENCY)                               \
  XX(group_exclusion_counter, CONCURRENCY)                                 \
  XX(reads_overlap_writes_never, CONCURRENCY)                              \
  XX(burst_is_stolen, CONCURRENCY)                                         \
  XX(join_fires_once_per_tag, CONCURRENCY)                                 \
  XX(join_rejects_duplicate_token, UNIT)                                   \
  XX(post_keeps_tag_start_makes_new, CONCURRENCY)                          \
  XX(timer_one_shot_and_repeat, CONCURRENCY)                               \
  XX(timer_stop_before_fire, CONCURRENCY)                                  \
  XX(stats_count_messages, CONCURRENCY)                                    \
  XX(tcp_echo_any_worker, CONCURRENCY)                                     \
  XX(tcp_backpressure_keeps_every_byte, CONCURRENCY)                       \
  XX(tcp_listen_port_in_use, UNIT)                                         \
  XX(tcp_listen_from_a_handler, CONCURRENCY)                               \
  XX(http_keepalive_and_params, CONCURRENCY)                               \
  XX(http_pipelined_answers_in_order, CONCURRENCY)                         \
  XX(http_chunked_request_body, CONCURRENCY)                               \
  XX(http_streamed_response, CONCURRENCY)                                  \
  XX(http_malformed_is_400_and_server_goes_on, CONCURRENCY)                \
  XX(http_slow_request_is_408, CONCURRENCY)                                \
  XX(http_large_body_is_413, CONCURRENCY)                                  \
  XX(http_large_header_is_431, CONCURRENCY)                                \
  XX(http_unanswered_is_500, CONCURRENCY)                                  \
  XX(http_not_found_and_head, CONCURRENCY)                                 \
  XX(http_client_vanishes_mid_response, CONCURRENCY)                       \
  XX(http_graceful_stop_finishes_requests, CONCURRENCY)                    \
  XX(http_connection_close_and_http10, CONCURRENCY)                        \
  XX(lang_listing2_structure, UNIT)                                        \
  XX(lang_print_round_trip, UNIT)                                          \
  XX(lang_placeholders_not_operators, UNIT)                                \
  XX(lang_errors_point_at_mistakes, UNIT)                                  \
  XX(lang_error_message_format, UNIT)
