#!/usr/bin/env sh
# The middleware's production-only install, run from a folder holding the repository's root
# manifests and those of the middleware and the shared packages it needs (contract, logging):
# the image's build runs it, and test/image.test.ts runs it in a clean folder.
#
# The other workspaces (stand-in, test kit, demo) are left out of the folder, so nothing they
# depend on is installed. Scripts are off because the root's `prepare` compiles with dev tools;
# better-sqlite3's native module is then built on its own (a prebuilt binary when one can be
# downloaded, otherwise compiled, which needs python3, make and g++).
set -e
npm ci --omit=dev --workspace middleware --ignore-scripts --no-audit --no-fund
npm rebuild better-sqlite3 --no-audit --no-fund
