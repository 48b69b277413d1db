# The example programs, run end to end against the emulator: they are documentation, so they
# must keep working.
if(REPLICATE_BUILD_EXAMPLES AND replicate_emulator_path)
  add_test(NAME examples
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_examples.sh ${replicate_emulator_path}
            ${PROJECT_BINARY_DIR}/examples ${CMAKE_CROSSCOMPILING_EMULATOR})
  set_tests_properties(examples PROPERTIES LABELS integration)
endif()
