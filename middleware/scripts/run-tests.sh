#!/usr/bin/env sh
# Node 20's test runner does not expand globs itself: list the test files here. Every request
# the Twilio stand-in accepts is recorded meanwhile and checked against Twilio's specs after.
#
# Most files use free ports and temp folders, so two run at a time. The files listed in
# ALONE run one at a time afterwards: they load the machine themselves (thousands of
# messages, child processes killed with SIGKILL or stopped with SIGTERM, injected latency
# against short timeouts, the image's production install compiling better-sqlite3) and judge
# what arrives within deadlines.
set -e
cd "$(dirname "$0")/.."
ALONE='^test/(reliability/|scale/crash\.test\.ts$|privacy/log-leak\.test\.ts$|lifecycle/|image\.test\.ts$)'
TWILIO_REQUEST_LOG="$(mktemp -t twilio-requests.XXXXXX)"
export TWILIO_REQUEST_LOG
# A failed test can leave a connection open, and a stuck one can wait for ever: each file is
# ended when its tests are done, and failed after 15 minutes, so the suite always finishes.
GUARDS='--test-force-exit --test-timeout=900000'
run() {
  node --import tsx --import @custom-channels/twilio-sandbox/spec-check/record-requests --test $GUARDS "$@"
}
status=0
run --test-concurrency=2 "$@" $(find test -name '*.test.ts' | sort | grep -Ev "$ALONE") || status=$?
run --test-concurrency=1 "$@" $(find test -name '*.test.ts' | sort | grep -E "$ALONE") || status=$?
if [ "$status" -eq 0 ]; then
  node --import tsx --test $GUARDS "$(node -p "require.resolve('@custom-channels/twilio-sandbox/spec-check/requests.check')")" || status=$?
fi
rm -f "$TWILIO_REQUEST_LOG"
exit "$status"
