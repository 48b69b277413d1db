replicate_add_integration_test(run_test ${CMAKE_CURRENT_LIST_DIR}/run_test.cpp)
replicate_add_integration_test(http_test ${CMAKE_CURRENT_LIST_DIR}/http_test.cpp)
replicate_add_integration_test(stream_test ${CMAKE_CURRENT_LIST_DIR}/stream_test.cpp)
