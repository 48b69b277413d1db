# Shared body of toolchains/<triple>.cmake: Debian's cross g++ against a Debian bookworm sysroot
# made by scripts/setup-cross.sh, with qemu-user as CMAKE_CROSSCOMPILING_EMULATOR for ctest.
# The including file sets replicate_triple, replicate_processor and replicate_qemu first.
#
# Sysroot: the cache variable REPLICATE_SYSROOT, else $REPLICATE_SYSROOTS_DIR/<triple>, else
# <source>/.sysroots/<triple>. CMake re-reads this file for every try_compile project, which does
# not see the main cache, so the value is forwarded through CMAKE_TRY_COMPILE_PLATFORM_VARIABLES.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${replicate_processor})

if(NOT REPLICATE_SYSROOT)
  if(DEFINED ENV{REPLICATE_SYSROOTS_DIR} AND NOT "$ENV{REPLICATE_SYSROOTS_DIR}" STREQUAL "")
    set(replicate_default_sysroot "$ENV{REPLICATE_SYSROOTS_DIR}/${replicate_triple}")
  else()
    get_filename_component(replicate_default_sysroot
                           "${CMAKE_CURRENT_LIST_DIR}/../.sysroots/${replicate_triple}" ABSOLUTE)
  endif()
  set(REPLICATE_SYSROOT "${replicate_default_sysroot}" CACHE PATH
      "Debian bookworm ${replicate_triple} sysroot (scripts/setup-cross.sh makes it)")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES REPLICATE_SYSROOT)
if(NOT EXISTS "${REPLICATE_SYSROOT}/usr/lib/${replicate_triple}")
  message(FATAL_ERROR "No ${replicate_triple} sysroot at ${REPLICATE_SYSROOT}: "
                      "run scripts/setup-cross.sh or set REPLICATE_SYSROOT")
endif()

set(CMAKE_C_COMPILER ${replicate_triple}-gcc)
set(CMAKE_CXX_COMPILER ${replicate_triple}-g++)
set(CMAKE_SYSROOT "${REPLICATE_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${REPLICATE_SYSROOT}")
# Programs (pkg-config, qemu) come from the host; headers, libraries and packages from the sysroot.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_LIBRARY_ARCHITECTURE ${replicate_triple})

# The host pkg-config, reading only the sysroot's .pc files and prefixing their paths with it.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${REPLICATE_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${REPLICATE_SYSROOT}/usr/lib/${replicate_triple}/pkgconfig:${REPLICATE_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# ctest (and try_run) run target binaries through qemu-user with the sysroot's loader and libs.
find_program(REPLICATE_QEMU ${replicate_qemu} REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR "${REPLICATE_QEMU};-L;${REPLICATE_SYSROOT}")
