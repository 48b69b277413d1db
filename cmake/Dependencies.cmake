# Every dependency comes from a Debian -dev package, found through pkg-config where the package
# ships a .pc file (that also works inside a cross sysroot) and find_library where it does not.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv)
pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl)
# cJSON's own CMake package hard-codes /usr paths, which breaks sysroots: use its .pc file.
pkg_check_modules(LIBCJSON REQUIRED IMPORTED_TARGET libcjson)

# mbedTLS 2.28 ships neither a .pc file nor a CMake package.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/md.h REQUIRED)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)

if(REPLICATE_BUILD_TESTS)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()

# Warnings are errors in every build; the presets add sanitizers on top.
add_library(replicate_warnings INTERFACE)
target_compile_options(replicate_warnings INTERFACE -Wall -Wextra -Werror)
