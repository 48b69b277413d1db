replicate_add_unit_test(data_uri_test ${CMAKE_CURRENT_LIST_DIR}/data_uri_test.cpp)
