# Build options shared by every target.
option(SB_WERROR "Treat compiler warnings as errors (on in CI)" OFF)
option(SB_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
# ThreadSanitizer for the node's worker threads: CI builds only switchboard-node in this tree
# and runs the `tsan` tests against it (tests/conformance; docs/reliability.md).
option(SB_TSAN "Build with ThreadSanitizer (needs clang; CI builds only switchboard-node)" OFF)
option(SB_BENCH "Build the benchmarks in bench/ (CI builds them in a second step; CTest never runs them)" ON)
option(SB_FUZZ_ONLY "Build only the protocol layer and its libFuzzer targets (needs clang)" OFF)
option(SB_UNITY_BUILD "Compile each layer's .cpp files in batches (see sb_unity_build)" ON)
# 16: each batch loads the layer's precompiled header once; at 8 `sb_node` took 58 CPU-s, at 16 38
# (docs/architecture.md, "Build, test and CI"). A development tree may lower it.
set(SB_UNITY_BATCH_SIZE 16 CACHE STRING "How many .cpp files one unity batch holds")

add_compile_definitions(
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    SB_VERSION="${PROJECT_VERSION}")

add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                    -Wcast-align -Woverloaded-virtual -Wformat=2)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # librdkafka's RD_KAFKA_V_* macros type-check their arguments with GNU statement
    # expressions, which -Wpedantic reports at every producev() call under clang.
    add_compile_options(-Wno-gnu-statement-expression)
endif()
if(SB_WERROR)
    add_compile_options(-Werror)
endif()

# lld links the test executables several times faster than GNU ld (scripts/setup.sh installs
# it); where the compiler cannot use it the default linker stays.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld SB_HAVE_LLD)
if(SB_HAVE_LLD)
    add_link_options(-fuse-ld=lld)
endif()

# AUTOMOC hands moc the compiler's own include directories after the target's, and moc then
# preprocesses every libstdc++ header a Qt header includes: ~0.55 CPU-s per moc run of a test,
# 240 CPU-s of a tree's 885 before one object is compiled. moc needs only Qt's and our headers
# (it skips an include it cannot find), so the C++ library's and the compiler's own directories
# are dropped from the list CMake gives it; the generated code is byte for byte the same
# (docs/architecture.md, "Build, test and CI"). Compile lines do not change: CMake only leaves
# these directories off them, and no target names them.
list(FILTER CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES EXCLUDE REGEX "/c\\+\\+/|/lib/gcc/|/lib/clang/|/llvm-")

if(SB_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

if(SB_TSAN)
    if(SB_SANITIZE OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "SB_TSAN needs clang (CXX=clang++) and excludes SB_SANITIZE")
    endif()
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
    add_link_options(-fsanitize=thread)
endif()

if(SB_FUZZ_ONLY)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "SB_FUZZ_ONLY needs clang (libFuzzer): CXX=clang++")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()

# sb_precompile_qt(<target> <Core|Network|WebSockets|Widgets>...)
# Qt's headers are most of what a translation unit here parses; a precompiled header per
# layer cuts the build by about a third (see docs/architecture.md, "Build").
function(sb_precompile_qt target)
    set(headers <QByteArray> <QDateTime> <QHash> <QJsonArray> <QJsonDocument> <QJsonObject>
                <QList> <QMap> <QObject> <QPointer> <QString> <QStringList> <QTimer> <QVariant>
                <functional> <memory>)
    if("Network" IN_LIST ARGN)
        list(APPEND headers <QHostAddress> <QTcpSocket>)
    endif()
    if("WebSockets" IN_LIST ARGN)
        list(APPEND headers <QWebSocket>)
    endif()
    if("Widgets" IN_LIST ARGN)
        list(APPEND headers <QAbstractItemModel> <QAction> <QLabel> <QWidget> <QtCharts/QChart>)
    endif()
    target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

# sb_reuse_qt_pch(<target> <from>)
# A layer of one or two batches spends longer building its own precompiled header than the
# header saves it: it reuses the header of a layer it links whose compile definitions are
# the same (GCC and clang refuse a header built with other definitions, and -Winvalid-pch
# makes that an error, so a reuse that stops fitting cannot go unnoticed).
function(sb_reuse_qt_pch target from)
    target_precompile_headers(${target} REUSE_FROM ${from})
endfunction()

# sb_layer_includes(<target> PUBLIC|INTERFACE)
# Headers are fenced like the libraries: each layer's include root holds one entry, a link
# named after its folder (e.g. build/include/sb_inspect/inspect -> backend/inspect), so
# `#include "node/..."` resolves only in targets that link sb_node (directly or through a
# layer that does). A header reaching across the graph fails to compile, not just to link.
function(sb_layer_includes target scope)
    get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
    set(root ${CMAKE_BINARY_DIR}/include/${target})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
    target_include_directories(${target} ${scope} ${root})
endfunction()

# sb_unity_build(<target>)
# Compiles a layer's .cpp files SB_UNITY_BATCH_SIZE at a time as one translation unit, so the
# Qt templates they share are instantiated, optimised and given debug info once per batch
# rather than once per file. Hence names in a .cpp's anonymous namespace must be unique within
# its layer: a helper several files need goes into a header (e.g. node/WallClock.h).
# -DSB_UNITY_BUILD=OFF compiles file by file (faster to rebuild after editing one file).
function(sb_unity_build target)
    if(SB_UNITY_BUILD)
        set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${SB_UNITY_BATCH_SIZE})
    endif()
endfunction()

# sb_add_layer(<target> PUBLIC_LIBS <libs...>)
# One static library per layer, built from the *.cpp/*.h/*.ui/*.qrc in the calling folder.
# The libraries named here are the only ones the layer may use: the build enforces the
# dependency direction (see docs/architecture.md).
function(sb_add_layer target)
    cmake_parse_arguments(ARG "" "" "PUBLIC_LIBS" ${ARGN})
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS
         ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/*.h
         ${CMAKE_CURRENT_SOURCE_DIR}/*.ui ${CMAKE_CURRENT_SOURCE_DIR}/*.qrc)
    list(FILTER sources INCLUDE REGEX "\\.cpp$")
    if(NOT sources)
        # A layer with no code yet is an interface target, so its dependents still link.
        add_library(${target} INTERFACE)
        sb_layer_includes(${target} INTERFACE)
        target_link_libraries(${target} INTERFACE ${ARG_PUBLIC_LIBS})
        return()
    endif()
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS
         ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/*.h
         ${CMAKE_CURRENT_SOURCE_DIR}/*.ui ${CMAKE_CURRENT_SOURCE_DIR}/*.qrc)
    add_library(${target} STATIC ${sources})
    sb_layer_includes(${target} PUBLIC)
    target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_LIBS})
    set(modules Core)
    foreach(module Network WebSockets Widgets)
        if("Qt6::${module}" IN_LIST ARG_PUBLIC_LIBS)
            list(APPEND modules ${module})
        endif()
    endforeach()
    sb_precompile_qt(${target} ${modules})
    sb_unity_build(${target})
endfunction()
