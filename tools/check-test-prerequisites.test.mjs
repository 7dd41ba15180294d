import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./check-test-prerequisites.mjs', import.meta.url));

function check(env) {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, [SCRIPT], { env: { PATH, HOME, ...env }, encoding: 'utf8' });
}

test('a missing chromium and redis-server stop npm test with one line each: what is missing and how to install it', () => {
  const result = check({ CHROMIUM_PATH: '/nonexistent/chromium', REDIS_SERVER_PATH: '/nonexistent/redis-server', REDIS_CLI_PATH: process.execPath });
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, result.stderr);
  assert.match(
    lines[0],
    /^npm test needs chromium \(CHROMIUM_PATH=\/nonexistent\/chromium does not exist\): install it with `sudo apt-get install chromium redis-server` on Debian/,
  );
  assert.match(lines[0], /on macOS: brew install --cask chromium, then export CHROMIUM_PATH=/);
  assert.match(
    lines[1],
    /^npm test needs redis-server \(REDIS_SERVER_PATH=\/nonexistent\/redis-server does not exist\): install it with `sudo apt-get install chromium redis-server`/,
  );
  assert.match(lines[1], /on macOS: brew install redis$/);
});

test('with both programs there it says nothing and lets npm test go on', () => {
  // Any existing file stands for the programs: the check looks for them, it does not run them.
  const result = check({ CHROMIUM_PATH: process.execPath, REDIS_SERVER_PATH: process.execPath, REDIS_CLI_PATH: process.execPath });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
});

test('only the missing program is named', () => {
  const result = check({ CHROMIUM_PATH: process.execPath, REDIS_SERVER_PATH: process.execPath, REDIS_CLI_PATH: '/nonexistent/redis-cli' });
  assert.equal(result.status, 1);
  assert.deepEqual(
    result.stderr
      .trimEnd()
      .split('\n')
      .map((line) => line.split(' (')[0]),
    ['npm test needs redis-cli'],
  );
});
