replicate_add_unit_test(multipart_test ${CMAKE_CURRENT_LIST_DIR}/multipart_test.cpp)
replicate_add_unit_test(file_output_test ${CMAKE_CURRENT_LIST_DIR}/file_output_test.cpp)
replicate_add_integration_test(resources_test ${CMAKE_CURRENT_LIST_DIR}/resources_test.cpp)
