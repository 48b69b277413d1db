# 64-bit ARM Linux (Raspberry Pi 3/4/5 with a 64-bit OS, Jetson with JetPack 6), glibc >= 2.34.
# cmake --preset aarch64, or -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake.
set(replicate_triple aarch64-linux-gnu)
set(replicate_processor aarch64)
set(replicate_qemu qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/replicate-cross.cmake)
