# The coroutine adapter needs C++20; the library itself stays C++17.
replicate_add_integration_test(coro_test ${CMAKE_CURRENT_LIST_DIR}/coro_test.cpp)
set_target_properties(coro_test PROPERTIES CXX_STANDARD 20)
