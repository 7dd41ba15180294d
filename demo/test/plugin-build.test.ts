import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { pluginBuildEnv } from '../src/flex-preview/build.js';

/** The plugin build inside the demo neither clears the terminal nor prints Flex's deploy hint. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLEX_ENV = join(ROOT, 'node_modules/@twilio/flex-plugins-utils-env');

/** What flex-plugin-scripts' own environment helpers say about an environment. */
function flexSees(env: NodeJS.ProcessEnv): { persisted: boolean; buildLifecycle: boolean } {
  const script = `const env = require(${JSON.stringify(FLEX_ENV)}).default;
    process.stdout.write(JSON.stringify({ persisted: env.isTerminalPersisted(), buildLifecycle: env.isLifecycle('build') }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' })) as { persisted: boolean; buildLifecycle: boolean };
}

test('started by npm run demo (or npm run build), the build keeps the terminal and prints no deploy hint', () => {
  for (const lifecycle of ['demo', 'build']) {
    const env = pluginBuildEnv({ ...process.env, npm_lifecycle_event: lifecycle });
    assert.deepEqual(flexSees(env), { persisted: true, buildLifecycle: false }, lifecycle);
  }
});
