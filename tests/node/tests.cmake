# The official Node client works unchanged against the emulator (run, predictions, pagination).
# Native builds only: it runs the host's node against the host's emulator.
find_program(REPLICATE_NODE node)
if(REPLICATE_NODE AND replicate_emulator_path AND NOT CMAKE_CROSSCOMPILING)
  add_test(NAME node_client_compat
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_compat.sh ${replicate_emulator_path})
  set_tests_properties(node_client_compat PROPERTIES LABELS integration TIMEOUT 300)
endif()
