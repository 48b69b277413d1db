replicate_add_unit_test(arena_test ${CMAKE_CURRENT_LIST_DIR}/arena_test.cpp)
replicate_add_unit_test(error_test ${CMAKE_CURRENT_LIST_DIR}/error_test.cpp)
