#pragma once

// SB_TEST_MAIN / SB_TEST_GUILESS_MAIN / SB_TEST_APPLESS_MAIN(TestClass) end a Qt Test file in
// place of QTEST_MAIN / QTEST_GUILESS_MAIN / QTEST_APPLESS_MAIN. In a test group's executable
// (sb_add_qtest ... GROUP, which defines SB_TEST_GROUP) the test registers itself under its
// file's name (tst_<name>.cpp -> <name>) with the body the QTEST_* macro's main() would have
// had: the same application object (QTEST_MAIN's depends on QT_WIDGETS_LIB / QT_GUI_LIB,
// which the group defines when it links Widgets / Gui), initMain, the source path for
// QFINDTESTDATA. Outside a group they are the QTEST_* macros, so a file moves freely between
// the two.
// SB_TEST_GUI_MAIN(TestClass) is QTEST_MAIN for a test that links Qt GUI but not Widgets (a
// QGuiApplication) and stays so in a group that links Widgets, where QTEST_MAIN's object
// would be a QApplication.

#include <QTest>

#ifdef SB_TEST_GROUP

#include "support/TestRegistry.h"

#define SB_TEST_CONCAT_(a, b) a##b
#define SB_TEST_CONCAT(a, b) SB_TEST_CONCAT_(a, b)
// __COUNTER__, not __LINE__: two files of one unity batch may end on the same line.
#define SB_TEST_REGISTER_(TestObject, ...)                                                                   \
    namespace {                                                                                              \
    const int SB_TEST_CONCAT(sbTestRegistration, __COUNTER__)                                                \
        = sb::testing::TestRegistry::add(__FILE__, [](int argc, char *argv[]) -> int {                       \
              QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                             \
              __VA_ARGS__                                                                                    \
              TestObject tc;                                                                                 \
              QTEST_SET_MAIN_SOURCE_PATH                                                                     \
              return QTest::qExec(&tc, argc, argv);                                                          \
          });                                                                                                \
    }

#define SB_TEST_MAIN(TestObject) SB_TEST_REGISTER_(TestObject, QTEST_MAIN_SETUP())
#define SB_TEST_GUI_MAIN(TestObject) SB_TEST_REGISTER_(TestObject, QTEST_QAPP_SETUP(QGuiApplication))
#define SB_TEST_GUILESS_MAIN(TestObject) SB_TEST_REGISTER_(TestObject, QTEST_QAPP_SETUP(QCoreApplication))
#define SB_TEST_APPLESS_MAIN(TestObject) SB_TEST_REGISTER_(TestObject)

#else

#define SB_TEST_MAIN(TestObject) QTEST_MAIN(TestObject)
#define SB_TEST_GUI_MAIN(TestObject) QTEST_MAIN_WRAPPER(TestObject, QTEST_QAPP_SETUP(QGuiApplication))
#define SB_TEST_GUILESS_MAIN(TestObject) QTEST_GUILESS_MAIN(TestObject)
#define SB_TEST_APPLESS_MAIN(TestObject) QTEST_APPLESS_MAIN(TestObject)

#endif
