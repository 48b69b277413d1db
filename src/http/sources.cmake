target_sources(replicate PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/concat_body.cpp
  ${CMAKE_CURRENT_LIST_DIR}/requester.cpp
  ${CMAKE_CURRENT_LIST_DIR}/retry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/url.cpp)
