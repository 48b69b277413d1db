# Every API resource beyond predictions (models, collections, hardware, account, trainings,
# deployments, files, webhooks, search), pagination and file outputs, with their JSON decoders.
target_sources(replicate PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call.cpp
  ${CMAKE_CURRENT_LIST_DIR}/models.cpp
  ${CMAKE_CURRENT_LIST_DIR}/collections.cpp
  ${CMAKE_CURRENT_LIST_DIR}/account.cpp
  ${CMAKE_CURRENT_LIST_DIR}/search.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trainings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/deployments.cpp
  ${CMAKE_CURRENT_LIST_DIR}/multipart.cpp
  ${CMAKE_CURRENT_LIST_DIR}/files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/paginate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/file_output.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../../json/decode_account.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../../json/decode_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../../json/decode_training.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../../json/decode_deployment.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../../json/decode_file.cpp)
