target_sources(replicate PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/elide.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/decode_prediction.cpp)
