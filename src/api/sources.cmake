target_sources(replicate PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/blocking.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/identifier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/op_timers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/predictions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate.cpp)
include(${CMAKE_CURRENT_LIST_DIR}/resources/sources.cmake)
