replicate_add_unit_test(data_uri_test ${CMAKE_CURRENT_LIST_DIR}/data_uri_test.cpp)
replicate_add_integration_test(input_body_run_test ${CMAKE_CURRENT_LIST_DIR}/input_body_run_test.cpp)
target_compile_definitions(input_body_run_test PRIVATE
                           REPLICATE_ASSETS_DIR="${PROJECT_SOURCE_DIR}/examples/assets")
