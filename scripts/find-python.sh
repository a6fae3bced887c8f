#!/bin/sh
# Print the path of a working Python 3.12 interpreter, or fail with a hint.
#
# Usage: scripts/find-python.sh [PYTHON]
#
# Candidates, tried in order; the first one that actually runs and reports
# version 3.12 wins:
#   1. the interpreter given as $1 (the Makefile passes $(PYTHON)), or $PYTHON
#   2. python3.12 on PATH
#   3. pyenv-installed 3.12.x, looked up directly under `pyenv root` and
#      ~/.pyenv (a pyenv shim named python3.12 can exist on PATH and still fail
#      when the global pyenv version is something else)
#   4. /usr/bin/python3.12, /usr/local/bin/python3.12
set -u

requested=${1:-${PYTHON:-}}

# try CMD: if CMD runs and reports Python 3.12, print the interpreter's real
# path (sys.executable, so a pyenv shim resolves to the actual binary) and
# stop with success; otherwise return quietly.
try() {
    found=$("$1" -c 'import sys
if sys.version_info[:2] == (3, 12):
    print(sys.executable)' 2>/dev/null) || return 0
    if [ -n "$found" ]; then
        printf '%s\n' "$found"
        exit 0
    fi
}

if [ -n "$requested" ]; then
    try "$requested"
    echo "find-python: '$requested' is not a working Python 3.12; trying others" >&2
fi

try python3.12

pyenv_root=$(pyenv root 2>/dev/null || true)
for dir in ${pyenv_root:+"$pyenv_root"} "${HOME:-/root}/.pyenv"; do
    for cand in "$dir"/versions/3.12*/bin/python3.12; do
        [ -x "$cand" ] && try "$cand"
    done
done

try /usr/bin/python3.12
try /usr/local/bin/python3.12

echo 'exitsim needs Python 3.12: install it or run `make PYTHON=/path/to/python3.12 ...`' >&2
exit 1
