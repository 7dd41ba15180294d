#!/usr/bin/env sh
# Node 20's test runner does not expand globs itself: list the test files here. Every request
# the Twilio stand-in accepts is recorded meanwhile and checked against Twilio's specs after.
set -e
cd "$(dirname "$0")/.."
TWILIO_REQUEST_LOG="$(mktemp -t twilio-requests.XXXXXX)"
export TWILIO_REQUEST_LOG
node --import tsx --import @custom-channels/twilio-sandbox/spec-check/record-requests --test --test-concurrency=1 "$@" $(find test -name '*.test.ts' | sort)
node --import tsx --test "$(node -p "require.resolve('@custom-channels/twilio-sandbox/spec-check/requests.check')")"
rm -f "$TWILIO_REQUEST_LOG"
