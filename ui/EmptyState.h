#pragma once

#include <QString>

namespace sb::ui {

// What an area says while it has nothing to show: what it will show, and how to get there.
struct EmptyState
{
    QString title;
    QString whatItShows;
    QString howToAttach;
};

} // namespace sb::ui
