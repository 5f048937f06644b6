# Builds the libFuzzer target for the table readers and runs it for a bounded
# time on a scratch copy of fuzz/corpus (libFuzzer adds the inputs it finds to
# the first corpus directory; the repository's seeds stay as they are).
#
#   cmake -DCLANGXX=clang++ -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch>
#         [-DFUZZ_SECONDS=20] -P fuzz/run_fuzz.cmake
#
# Fails when the build fails or the fuzzer finds a crash, a sanitizer report,
# a leak, a timeout or an exception other than kldiv::Error.

foreach(var CLANGXX SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_fuzz.cmake: pass -D${var}=...")
  endif()
endforeach()
if(NOT DEFINED FUZZ_SECONDS)
  set(FUZZ_SECONDS 20)
endif()

file(MAKE_DIRECTORY "${WORK_DIR}")
set(binary "${WORK_DIR}/fuzz_readers")
set(log "${WORK_DIR}/fuzz.log")

execute_process(
  COMMAND "${CLANGXX}" -std=c++20 -g -O1
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
    "-I${SOURCE_DIR}/include"
    "${SOURCE_DIR}/fuzz/fuzz_readers.cpp" "${SOURCE_DIR}/src/io.cpp"
    -o "${binary}"
  RESULT_VARIABLE build_result
  OUTPUT_VARIABLE build_output
  ERROR_VARIABLE build_output)
if(NOT build_result EQUAL 0)
  message(FATAL_ERROR "building the fuzzer failed (${build_result}):\n"
    "${build_output}")
endif()

set(corpus "${WORK_DIR}/corpus")
file(REMOVE_RECURSE "${corpus}")
file(COPY "${SOURCE_DIR}/fuzz/corpus/" DESTINATION "${corpus}")

# The log goes to a file: libFuzzer reports every new input, which would drown
# the one line that matters.
execute_process(
  COMMAND "${binary}" -max_total_time=${FUZZ_SECONDS} -rss_limit_mb=2048
    -timeout=5 -print_final_stats=1 "-artifact_prefix=${WORK_DIR}/"
    "${corpus}"
  RESULT_VARIABLE fuzz_result
  OUTPUT_FILE "${log}"
  ERROR_FILE "${log}")
file(READ "${log}" log_text)
string(REGEX MATCH "Done [0-9]+ runs in [0-9]+ second\\(s\\)" done "${log_text}")
if(NOT fuzz_result EQUAL 0)
  string(LENGTH "${log_text}" length)
  if(length GREATER 20000)
    math(EXPR start "${length} - 20000")
    string(SUBSTRING "${log_text}" ${start} -1 log_text)
  endif()
  message(FATAL_ERROR "the fuzzer failed (exit status ${fuzz_result}); the "
    "crashing input is saved in ${WORK_DIR}/ (crash-*, leak-*, timeout-*), "
    "the full log in ${log}:\n${log_text}")
endif()
message(STATUS "fuzz_readers: ${done}, no failures")
