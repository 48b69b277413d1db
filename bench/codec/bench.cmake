# bench_data_uri: base64 / input_body throughput, with mbedTLS's encoder for reference (the only
# place outside crypto/ that links mbedTLS: it is a comparison, not a dependency).
add_executable(bench_data_uri ${CMAKE_CURRENT_LIST_DIR}/bench_data_uri.cpp)
target_include_directories(bench_data_uri SYSTEM PRIVATE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(bench_data_uri PRIVATE replicate ${MBEDCRYPTO_LIBRARY} replicate_warnings)
