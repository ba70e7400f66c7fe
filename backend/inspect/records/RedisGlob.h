#pragma once

#include <QByteArrayView>

namespace sb::inspect {

// Redis' own glob (stringmatchlen in util.c): `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\`
// escapes, byte-wise. The key browser uses it to decide whether a key that a keyspace
// notification announced belongs to the listing of a MATCH pattern, exactly as SCAN
// would have decided; Qt's wildcard conversion differs on `[^...]` and escapes.
inline bool redisGlobMatch(QByteArrayView pattern, QByteArrayView string)
{
    qsizetype p = 0;
    qsizetype s = 0;
    qsizetype starP = -1; // where to resume after the last '*'
    qsizetype starS = 0;
    while (s < string.size()) {
        if (p < pattern.size()) {
            const char c = pattern[p];
            if (c == '*') {
                starP = ++p;
                starS = s;
                continue;
            }
            if (c == '[') {
                qsizetype q = p + 1;
                const bool negate = q < pattern.size() && pattern[q] == '^';
                if (negate)
                    ++q;
                bool matched = false;
                while (q < pattern.size() && pattern[q] != ']') {
                    if (pattern[q] == '\\' && q + 1 < pattern.size()) {
                        matched |= pattern[q + 1] == string[s];
                        q += 2;
                    } else if (q + 2 < pattern.size() && pattern[q + 1] == '-' && pattern[q + 2] != ']') {
                        char lo = pattern[q];
                        char hi = pattern[q + 2];
                        if (lo > hi)
                            std::swap(lo, hi);
                        matched |= string[s] >= lo && string[s] <= hi;
                        q += 3;
                    } else {
                        matched |= pattern[q] == string[s];
                        ++q;
                    }
                }
                if (matched != negate) {
                    p = q < pattern.size() ? q + 1 : q;
                    ++s;
                    continue;
                }
            } else if (c == '?' || (c == '\\' && p + 1 < pattern.size() && pattern[p + 1] == string[s])
                || (c != '\\' && c == string[s])) {
                p += (c == '\\') ? 2 : 1;
                ++s;
                continue;
            }
        }
        if (starP < 0)
            return false;
        p = starP; // let the last '*' swallow one more byte
        s = ++starS;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

} // namespace sb::inspect
