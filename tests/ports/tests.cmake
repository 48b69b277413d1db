replicate_add_unit_test(file_source_test ${CMAKE_CURRENT_LIST_DIR}/file_source_test.cpp
                        LIBS replicate_ports)
target_compile_definitions(file_source_test PRIVATE
                           REPLICATE_ASSETS_DIR="${PROJECT_SOURCE_DIR}/examples/assets")
