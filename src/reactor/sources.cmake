target_sources(replicate PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/multi.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer.cpp)
