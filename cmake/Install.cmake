include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS replicate replicate_ports EXPORT replicateTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/replicate DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ports/include/replicate DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT replicateTargets NAMESPACE replicate::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/replicate)
configure_package_config_file(cmake/replicateConfig.cmake.in
        ${CMAKE_CURRENT_BINARY_DIR}/replicateConfig.cmake
        INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/replicate)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/replicateConfigVersion.cmake
        COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/replicateConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/replicateConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/replicate)
