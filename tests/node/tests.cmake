# The official Node client works unchanged against the emulator (run, predictions, pagination).
# Native builds run it with the host's node (scripts/setup.sh installs one); a missing node is a
# configure error, not a silently absent test.
if(CMAKE_CROSSCOMPILING)
  set(replicate_test_node_default OFF)
else()
  set(replicate_test_node_default ON)
endif()
option(REPLICATE_TEST_NODE "Test the official Node client against the emulator"
       ${replicate_test_node_default})
if(REPLICATE_TEST_NODE AND replicate_emulator_path)
  find_program(REPLICATE_NODE node)
  find_program(REPLICATE_NPM npm)
  if(NOT REPLICATE_NODE OR NOT REPLICATE_NPM)
    message(FATAL_ERROR "node and npm are needed for the node_client_compat test: run "
                        "scripts/setup.sh, or configure with -DREPLICATE_TEST_NODE=OFF")
  endif()
  add_test(NAME node_client_compat
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_compat.sh ${replicate_emulator_path})
  set_tests_properties(node_client_compat PROPERTIES LABELS integration TIMEOUT 300)
endif()
