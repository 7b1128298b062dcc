# ctest install-consumer: install the build tree into a prefix inside the build folder, build the
# outside project next to this file against it with find_package, and run it.
#   cmake -DBUILD_DIR=<build> -DCONSUMER_DIR=<this folder> -DWORK_DIR=<scratch> -P run-install-test.cmake
foreach(var BUILD_DIR CONSUMER_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run-install-test.cmake: -D${var}=... is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${prefix} ${consumer_build})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "install-consumer: '${cmd}' failed (${rc})")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f leaf-spine-topology.h fabric-helper.h vtep.h scenario-config.h)
  if(NOT EXISTS ${prefix}/include/ns3/${f})
    message(FATAL_ERROR "install-consumer: ${prefix}/include/ns3/${f} was not installed")
  endif()
endforeach()
file(GLOB_RECURSE config ${prefix}/*/ns3-overlay-fabric-config.cmake)
if(NOT config)
  message(FATAL_ERROR "install-consumer: no ns3-overlay-fabric-config.cmake under ${prefix}")
endif()
# Only the installed tree: the build tree's package registry and the source folders stay out.
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${consumer_build} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run(${CMAKE_COMMAND} --build ${consumer_build})
run(${consumer_build}/install-consumer)
