target_sources(replicate PRIVATE ${CMAKE_CURRENT_LIST_DIR}/tokenizer.cpp)
