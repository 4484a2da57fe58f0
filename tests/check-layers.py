#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the layers of src/: core includes no GTK and nothing above it; sim and cli include
nothing of the app; inside each folder no file includes, through any chain, its own header
back (a private header counts as part of its type)."""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.') / 'src'
INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)
GTK = ('gtk/', 'gdk/', 'adwaita.h', 'gsk/', 'graphene')
# What each folder may include from the others.
ALLOWED = {'core': {'core'}, 'sim': {'core', 'sim'}, 'cli': {'core', 'cli'},
           'app': {'core', 'sim', 'cli', 'app'}}

headers = {}  # header name → folder
for path in ROOT.glob('*/*.h'):
    headers[path.name] = path.parent.name


def module(name):
    stem = name.rsplit('.', 1)[0]
    return stem[:-len('-private')] if stem.endswith('-private') else stem


problems = []
graph = {}
for path in sorted(ROOT.glob('*/*.[ch]')):
    folder = path.parent.name
    if folder not in ALLOWED:
        continue
    for kind, name in INCLUDE.findall(path.read_text()):
        where = f'{path.relative_to(ROOT.parent)}'
        if kind == '<' and folder != 'app' and name.startswith(GTK):
            problems.append(f'{where} includes <{name}>: only src/app may use GTK')
        if kind == '"' and name in headers:
            other = headers[name]
            if other not in ALLOWED[folder]:
                problems.append(f'{where} includes "{name}" of src/{other}: layers point down')
            elif other == folder and module(name) != module(path.name):
                graph.setdefault((folder, module(path.name)), set()).add((folder, module(name)))


def find_cycle():
    state = {}

    def visit(node, stack):
        state[node] = 'open'
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 'open':
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, stack)
                if found:
                    return found
        stack.pop()
        state[node] = 'done'
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


cycle = find_cycle()
if cycle:
    problems.append('import circle in src/%s: %s' % (cycle[0][0], ' → '.join(m for _, m in cycle)))

for problem in problems:
    print('not ok:', problem)
if problems:
    sys.exit(1)
print('ok: core has no GTK, layers point down, no import circle in any folder')
