target_sources(replicate PRIVATE ${CMAKE_CURRENT_LIST_DIR}/base64.cpp
                                 ${CMAKE_CURRENT_LIST_DIR}/input_body.cpp)
