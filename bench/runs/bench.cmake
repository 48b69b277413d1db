add_executable(bench_runs ${CMAKE_CURRENT_LIST_DIR}/bench_runs.cpp)
target_link_libraries(bench_runs PRIVATE replicate replicate_warnings)
