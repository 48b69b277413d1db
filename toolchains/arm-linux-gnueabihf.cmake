# 32-bit ARM hard-float Linux (Raspberry Pi 2 and later with a 32-bit OS), glibc >= 2.34.
# ARMv7-A, VFPv3-D16 (+fp), Thumb-2: Debian armhf's baseline, also the compiler's default; the
# flags are spelled out so a different compiler cannot silently target ARMv6 or soft-float.
# cmake --preset armhf, or -DCMAKE_TOOLCHAIN_FILE=toolchains/arm-linux-gnueabihf.cmake.
set(replicate_triple arm-linux-gnueabihf)
set(replicate_processor armv7l)
set(replicate_qemu qemu-arm)
# 64-bit file offsets and inode numbers: without them 32-bit readdir() fails with EOVERFLOW on
# filesystems with 64-bit directory cookies (ext4, and any host under qemu-user), and files over
# 2 GiB cannot be read.
set(CMAKE_C_FLAGS_INIT "-march=armv7-a+fp -mfloat-abi=hard -mthumb -D_FILE_OFFSET_BITS=64")
# -Wno-psabi: g++ notes that GCC 7.1 changed how some std::vector iterators are passed on ARM. Every
# object here and in the sysroot comes from GCC 12, so the note is noise in every build log.
set(CMAKE_CXX_FLAGS_INIT "-march=armv7-a+fp -mfloat-abi=hard -mthumb -Wno-psabi -D_FILE_OFFSET_BITS=64")
include(${CMAKE_CURRENT_LIST_DIR}/replicate-cross.cmake)
