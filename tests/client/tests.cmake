replicate_add_unit_test(retry_test ${CMAKE_CURRENT_LIST_DIR}/retry_test.cpp)
replicate_add_unit_test(url_test ${CMAKE_CURRENT_LIST_DIR}/url_test.cpp)
replicate_add_unit_test(identifier_test ${CMAKE_CURRENT_LIST_DIR}/identifier_test.cpp)
replicate_add_unit_test(request_body_test ${CMAKE_CURRENT_LIST_DIR}/request_body_test.cpp)
