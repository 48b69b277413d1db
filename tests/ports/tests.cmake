replicate_add_unit_test(file_source_test ${CMAKE_CURRENT_LIST_DIR}/file_source_test.cpp
                        LIBS replicate_ports)
target_compile_definitions(file_source_test PRIVATE
                           REPLICATE_ASSETS_DIR="${PROJECT_SOURCE_DIR}/examples/assets")
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  replicate_add_unit_test(v4l2_source_test ${CMAKE_CURRENT_LIST_DIR}/v4l2_source_test.cpp
                          ${CMAKE_CURRENT_LIST_DIR}/fake_camera.cpp LIBS replicate_ports)
  target_compile_definitions(v4l2_source_test PRIVATE
                             REPLICATE_ASSETS_DIR="${PROJECT_SOURCE_DIR}/examples/assets")
endif()
