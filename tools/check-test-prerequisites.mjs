#!/usr/bin/env node
// Runs before `npm test` (the `pretest` script): the browser tests and the multi-instance tests
// need two programs from the system's packages. Without them the suites would fail minutes in,
// deep in a stack trace; this says in one line per program what is missing and how to install it.
import { existsSync } from 'node:fs';

const DEBIAN = 'sudo apt-get install chromium redis-server';

/** Debian's place, then Homebrew's (Intel, Apple silicon), as test-kit/src/redis-programs.ts. */
const REDIS_PLACES = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];

/** Where the tests look: demo/test/*-browser.test.ts for chromium, test-kit/src/redis-programs.ts for Redis. */
const PROGRAMS = [
  {
    name: 'chromium',
    variable: 'CHROMIUM_PATH',
    places: ['/usr/bin/chromium'],
    macos: 'brew install --cask chromium, then export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium',
  },
  {
    name: 'redis-server',
    variable: 'REDIS_SERVER_PATH',
    places: REDIS_PLACES.map((dir) => `${dir}/redis-server`),
    macos: 'brew install redis',
  },
  {
    // The Redis Cluster tests join the nodes with it; Debian's redis-server package brings it.
    name: 'redis-cli',
    variable: 'REDIS_CLI_PATH',
    places: REDIS_PLACES.map((dir) => `${dir}/redis-cli`),
    macos: 'brew install redis',
  },
];

const missing = PROGRAMS.filter(({ variable, places }) => {
  const chosen = process.env[variable];
  return chosen ? !existsSync(chosen) : !places.some((place) => existsSync(place));
});

for (const { name, variable, places, macos } of missing) {
  const looked = process.env[variable] ? `${variable}=${process.env[variable]} does not exist` : `not at ${places.join(' or ')}, and ${variable} is not set`;
  process.stderr.write(`npm test needs ${name} (${looked}): install it with \`${DEBIAN}\` on Debian or Ubuntu; on macOS: ${macos}\n`);
}
process.exit(missing.length ? 1 : 0);
