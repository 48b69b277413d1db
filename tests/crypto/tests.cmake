replicate_add_unit_test(crypto_test ${CMAKE_CURRENT_LIST_DIR}/crypto_test.cpp)
replicate_add_unit_test(webhook_test ${CMAKE_CURRENT_LIST_DIR}/webhook_test.cpp)
replicate_add_unit_test(progress_test ${CMAKE_CURRENT_LIST_DIR}/progress_test.cpp)
