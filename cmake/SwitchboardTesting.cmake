# The tests that keep a core busy under the sanitizers (their run takes 1.6-4.5 times as long
# there as in the checked tree, measured on the CI run of 636313f). The sanitizer suite runs
# three tests at a time on two cores, because most of its tests wait on child processes,
# group joins and timers rather than compute; each of these counts as two (ctest
# PROCESSORS), so one never shares the cores with two others. profileswitchhung is not heavy
# but times the GUI loop against the issue's 100 ms bound: beside two others and the fuzzers
# under ASan it once measured 110 ms (2026-12-06; 1.75 s and well within alone, 5 of 5).
# nodesessionlimits, nodeconnectionlimits, nodehttplimits and nodeoutboundbytes were one test,
# nodelimits, when it was measured. Its parts alone, ASan tree against the GCC -O1 one on a
# shared machine (load 13-19, 2026-12-06): 3.5-4.1, 1.8, 1.2-1.9 and 2.8 times as long;
# nodehttplimits waits mostly on its timeouts but, at the edge, keeps its weight too.
set(SB_SANITIZER_CPU_HEAVY_TESTS nodesessionlimits nodeconnectionlimits nodehttplimits nodeoutboundbytes
    demosnapshot nodecli redisinspector nodeadmin kafkaeventbus conformance_stomp conformance_stompextra
    conformance_sse profileswitchhung)

# How many test files one translation unit of a test group holds (see GROUP below).
set(SB_TEST_UNITY_BATCH_SIZE 8)

# sb_add_qtest(<name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>] [TIMEOUT <s>]
#              [GROUP <group>])
# Builds tests/tst_<name> as a Qt Test executable and registers it with CTest as <name>.
# UI tests need no display: every test runs with QT_QPA_PLATFORM=offscreen.
# With GROUP, the test has no executable of its own: its sources (tst_<name>.cpp, ending with
# SB_TEST_MAIN & co. from support/TestMain.h) and LIBS join tst_<group>, a unity build of the
# folder's tests with one main (support/TestGroupMain.cpp), and CTest runs `tst_<group> <name>`.
# One executable per test cost each test its own parse of <QTest>, AUTOMOC step and link, in
# each CI tree. What a group's tests compile with is the union of their LIBS: a test whose
# build differs (its own definitions, dependencies or target properties, another set of Qt
# GUI modules for QTEST_MAIN's application object, a `scenario` test the sanitizer tree
# leaves out) stays on its own.
function(sb_add_qtest name)
    cmake_parse_arguments(ARG "" "TIMEOUT;GROUP" "SOURCES;LIBS;LABELS" ${ARGN})
    if(ARG_GROUP)
        set(target tst_${ARG_GROUP})
        if(NOT "tst_${name}.cpp" IN_LIST ARG_SOURCES)
            message(FATAL_ERROR "sb_add_qtest(${name} GROUP ${ARG_GROUP}): the test registers under its "
                                "file's name, so its SOURCES must hold tst_${name}.cpp")
        endif()
        if("scenario" IN_LIST ARG_LABELS)
            message(FATAL_ERROR "sb_add_qtest(${name}): a scenario test stays out of groups (the sanitizer "
                                "tree does not compile it)")
        endif()
        if(NOT TARGET ${target})
            add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/support/TestGroupMain.cpp
                                     ${PROJECT_SOURCE_DIR}/tests/support/TestRegistry.cpp)
            target_compile_definitions(${target} PRIVATE SB_TEST_GROUP)
            target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
            target_link_libraries(${target} PRIVATE Qt6::Test)
            # GCC warns of a class with a member of an anonymous-namespace type (a test class
            # holding a file's helper) unless the class is in the main file, which in a unity
            # batch it no longer is; it still has one definition, in one translation unit.
            target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
            if(SB_UNITY_BUILD)
                set_target_properties(${target} PROPERTIES UNITY_BUILD ON
                                                           UNITY_BUILD_BATCH_SIZE ${SB_TEST_UNITY_BATCH_SIZE})
            endif()
        endif()
        target_sources(${target} PRIVATE ${ARG_SOURCES})
        target_link_libraries(${target} PRIVATE ${ARG_LIBS})
    else()
        set(target tst_${name})
        add_executable(${target} ${ARG_SOURCES})
        target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests) # support/TestMain.h
        target_link_libraries(${target} PRIVATE Qt6::Test ${ARG_LIBS})
    endif()
    # A test parses the same Qt headers as the layer it tests: it reuses the precompiled
    # header of the first layer in LIBS instead of parsing them again (about half of a test's
    # compile time). GCC rejects a PCH built with other flags, and -Winvalid-pch makes that
    # a warning, hence an error under SB_WERROR, so an unusable reuse cannot go unnoticed.
    # A group takes the header its first test chose.
    get_target_property(pch_reused ${target} PRECOMPILE_HEADERS_REUSE_FROM)
    foreach(lib IN LISTS ARG_LIBS)
        if(pch_reused)
            break()
        endif()
        if(TARGET ${lib})
            get_target_property(imported ${lib} IMPORTED)
            get_target_property(type ${lib} TYPE)
            if(NOT imported AND type STREQUAL "STATIC_LIBRARY")
                get_target_property(pch ${lib} PRECOMPILE_HEADERS)
                get_target_property(pch_owner ${lib} PRECOMPILE_HEADERS_REUSE_FROM)
                if(NOT pch AND pch_owner) # the layer itself reuses another's (sb_reuse_qt_pch)
                    set(pch ${pch_owner})
                    set(lib ${pch_owner})
                endif()
                if(pch)
                    target_precompile_headers(${target} REUSE_FROM ${lib})
                    # Tests include their moc output ("tst_x.moc"): AUTOMOC's own file is then
                    # empty, and loading the PCH would be all its compile time.
                    set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${target}_autogen/mocs_compilation.cpp
                                                PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
                    break()
                endif()
            endif()
        endif()
    endforeach()
    # The sanitizer suite leaves the `scenario` tests out (scripts/test.sh), so that tree does
    # not compile them either: the ASan build is on the CI run's critical path.
    if(SB_SANITIZE AND "scenario" IN_LIST ARG_LABELS)
        set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL ON)
        return()
    endif()
    if(ARG_GROUP)
        add_test(NAME ${name} COMMAND ${target} ${name})
    else()
        add_test(NAME ${name} COMMAND ${target})
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    # ctest -j runs the costliest first (a fresh clone has no timings of its own): the long
    # end-to-end tests start early and the short unit tests fill the gaps at the end, instead
    # of one slot idling through a long test that happened to come last.
    set(cost 1)
    if("scenario" IN_LIST ARG_LABELS OR "cluster" IN_LIST ARG_LABELS)
        set(cost 30)
    elseif("integration" IN_LIST ARG_LABELS)
        set(cost 10)
    endif()
    set_tests_properties(${name} PROPERTIES
        COST ${cost}
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;SB_BINARY=$<TARGET_FILE:switchboard>;SB_SOURCE_DIR=${PROJECT_SOURCE_DIR};ASAN_OPTIONS=detect_leaks=0")
    sb_count_sanitizer_cpu(${name})
endfunction()

# sb_count_sanitizer_cpu(<test>): under SB_SANITIZE, a test in SB_SANITIZER_CPU_HEAVY_TESTS
# takes two of ctest's -j slots.
function(sb_count_sanitizer_cpu name)
    if(SB_SANITIZE AND name IN_LIST SB_SANITIZER_CPU_HEAVY_TESTS)
        set_tests_properties(${name} PROPERTIES PROCESSORS 2)
    endif()
endfunction()
