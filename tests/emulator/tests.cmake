# Emulator self-test: start it, check the CLI contract and a few routes with the curl tool.
# Host builds only (the script execs the emulator directly).
find_program(REPLICATE_CURL_TOOL curl)
if(TARGET replicate-emulator AND REPLICATE_CURL_TOOL AND NOT CMAKE_CROSSCOMPILING)
  add_test(NAME emulator_smoke
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/smoke.sh $<TARGET_FILE:replicate-emulator>
                   ${REPLICATE_CURL_TOOL})
  set_tests_properties(emulator_smoke PROPERTIES LABELS integration TIMEOUT 30)
endif()
