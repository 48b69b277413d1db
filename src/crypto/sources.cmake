# crypto/ is the only layer that includes mbedTLS headers. webhook.cpp and progress.cpp live in api/
# but are listed here so their owner keeps their registration in step with their code.
target_sources(replicate PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/crypto.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../api/progress.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../api/webhook.cpp)
