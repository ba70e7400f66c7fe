#!/bin/sh
# Fails when a C++ source file is not as .clang-format lays it out, or when it emits a
# signal with Q_EMIT (the code base writes `emit`, as Qt's own examples do): a reformat
# then never hides in a change that means something else (issue 14).
# Usage: source_format.sh SOURCE_DIR [CLANG_FORMAT]
set -eu
root="$1"
format="${2:-clang-format}"
cd "$root"
if [ -d .git ] || [ -f .git ]; then
    files="$(git ls-files '*.cpp' '*.h')"
else # a source tree without git (an unpacked tarball)
    files="$(find . -path ./build -prune -o \( -name '*.cpp' -o -name '*.h' \) -print)"
fi
[ -n "$files" ] || { echo "no source files found under $root"; exit 1; }
status=0
# --dry-run -Werror prints each place that would change and exits non-zero.
echo "$files" | xargs "$format" --dry-run -Werror || status=1
if echo "$files" | xargs grep -n -w 'Q_EMIT'; then
    echo "write emit, not Q_EMIT"; status=1
fi
[ "$status" -eq 0 ] && echo "$(echo "$files" | wc -l) files formatted as .clang-format says"
exit "$status"
