#!/usr/bin/env python3
"""Fails when the files of backend/node include each other in a cycle (issue 14).

A unit is a file's base name: Worker.h and Worker.cpp are the unit Worker, so a .cpp that
includes a header whose .cpp includes the first one's header is a cycle, although no header
includes itself. Only `#include "node/…"` lines count; the other layers have fences of their
own (the probes beside this script).

    node_include_cycles.py NODE_DIR          check the folder; exit 1 printing each cycle
    node_include_cycles.py --self-test       check the checker on made-up folders
"""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"node/([^"/]+)\.h"', re.MULTILINE)

# Edges still allowed while a cycle is being taken apart: ("From", "To") means unit From
# may include unit To although that closes a cycle. Printed on every run; an entry whose
# edge no longer exists fails the check, so the list can only shrink. Empty: no cycle is
# tolerated.
ALLOWED_EDGES = []


def read_graph(folder):
    graph = {}
    for name in sorted(os.listdir(folder)):
        unit, ext = os.path.splitext(name)
        if ext not in (".h", ".cpp"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as source:
            targets = set(INCLUDE.findall(source.read()))
        targets.discard(unit)
        graph.setdefault(unit, set()).update(targets)
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, set())
    return graph


def strongly_connected(graph):
    """Tarjan's algorithm, iterative: the components of more than one unit."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def one_cycle(graph, component):
    """A shortest cycle through the component's first unit, as a list of units."""
    members = set(component)
    start = component[0]
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node]):
            if child not in members:
                continue
            if child == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return list(reversed(path)) + [start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return component


def check(folder, allowed, out):
    graph = read_graph(folder)
    ok = True
    for source, target in allowed:
        present = target in graph.get(source, set())
        out.write("allowed for now: %s -> %s%s\n" % (source, target, "" if present else " (GONE: remove it from the list)"))
        if not present:
            ok = False
    pruned = {unit: set(targets) for unit, targets in graph.items()}
    for source, target in allowed:
        pruned.get(source, set()).discard(target)
    components = strongly_connected(pruned)
    for component in components:
        out.write("include cycle among %d units: %s\n" % (len(component), ", ".join(component)))
        out.write("  for example: %s\n" % " -> ".join(one_cycle(pruned, component)))
    if components:
        ok = False
    out.write("%d units, %d includes between them: %s\n"
              % (len(graph), sum(len(t) for t in graph.values()), "no cycle" if ok else "FAILED"))
    return ok


def self_test():
    """The checker must see a cycle through a .cpp, and none in a layered folder."""
    cases = [
        # name, files, expect ok
        ("layered", {"A.h": '#include "node/B.h"\n', "A.cpp": '#include "node/A.h"\n#include "node/C.h"\n',
                     "B.h": "", "C.h": '#include "node/B.h"\n'}, True),
        # Only the .cpp closes the loop: Worker.h -> Session.h, Session.cpp -> Worker.h.
        ("through a cpp", {"Worker.h": '#include "node/Session.h"\n', "Session.h": "",
                           "Session.cpp": '#include "node/Session.h"\n#include "node/Worker.h"\n'}, False),
        ("three units", {"A.cpp": '#include "node/B.h"\n', "B.cpp": '#include "node/C.h"\n',
                         "C.cpp": '  #  include "node/A.h"\n'}, False),
        ("commented out", {"A.cpp": '// #include "node/B.h"\n', "B.cpp": '#include "node/A.h"\n'}, True),
    ]
    failures = 0
    for name, files, expect in cases:
        with tempfile.TemporaryDirectory() as folder:
            for file, text in files.items():
                with open(os.path.join(folder, file), "w", encoding="utf-8") as handle:
                    handle.write(text)
            got = check(folder, [], open(os.devnull, "w"))
            print("self-test %-14s expected %-9s got %s" % (name, "no cycle" if expect else "a cycle",
                                                            "no cycle" if got else "a cycle"))
            failures += got != expect
    # An allowed edge that disappeared must fail too: the list only shrinks.
    with tempfile.TemporaryDirectory() as folder:
        open(os.path.join(folder, "A.h"), "w").close()
        stale = check(folder, [("A", "B")], open(os.devnull, "w"))
        print("self-test %-14s expected %-9s got %s" % ("stale allowance", "a failure", "a pass" if stale else "a failure"))
        failures += stale
    return failures == 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return 0 if self_test() else 1
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        sys.stderr.write(__doc__)
        return 2
    return 0 if check(argv[1], ALLOWED_EDGES, sys.stdout) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
