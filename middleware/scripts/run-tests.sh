#!/usr/bin/env sh
# Node 20's test runner does not expand globs itself: list the test files here.
set -e
cd "$(dirname "$0")/.."
exec node --import tsx --test --test-concurrency=1 "$@" $(find test -name '*.test.ts' | sort)
