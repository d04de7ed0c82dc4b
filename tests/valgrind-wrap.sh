#!/bin/sh
# Runs the program under test in valgrind, for `make check-valgrind`
# (Makefile.am sets CXZY to this script and REAL_CXZY to the program).
# A run with memory errors or definite leaks exits with status 99, which
# no test expects, so the test that made it fails; valgrind's report is
# on stderr.
: "${REAL_CXZY:?REAL_CXZY must name the program to run}"
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --track-fds=no "$REAL_CXZY" "$@"
