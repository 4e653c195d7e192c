# The CUDA backend for the engine tests and benchmarks: nvcc, cuBLAS and
# the GPU architectures to build for. Sets EXPRAE_CUDA_SOURCES.
set(exprae_archs_given OFF)
if(DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(exprae_archs_given ON)
endif()
enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)

# Default: the architectures the R package builds for (configure), less
# those this nvcc no longer knows (CUDA 13 dropped sm_70), with PTX of the
# newest so that later GPUs can run it.
if(NOT exprae_archs_given)
    execute_process(COMMAND "${CMAKE_CUDA_COMPILER}" --list-gpu-arch
                    OUTPUT_VARIABLE nvcc_archs ERROR_QUIET)
    set(archs "")
    foreach(a 70 75 80 86 89 90)
        if(nvcc_archs MATCHES "compute_${a}")
            list(APPEND archs "${a}-real")
        else()
            message(STATUS "nvcc does not support sm_${a}: left out")
        endif()
    endforeach()
    list(POP_BACK archs newest)
    string(REPLACE "-real" "" newest "${newest}")
    list(APPEND archs "${newest}")
    set(CMAKE_CUDA_ARCHITECTURES "${archs}")
endif()
message(STATUS "CUDA architectures: ${CMAKE_CUDA_ARCHITECTURES}")

file(GLOB EXPRAE_CUDA_SOURCES CONFIGURE_DEPENDS
     "${ENGINE_DIR}/cuda/*.cu" "${ENGINE_DIR}/cuda/*.cpp")
