#!/usr/bin/env node
// `npm run deploy` / `npm run release`: runs `twilio flex:plugins:<command>` with the arguments
// given after `--`, once the Twilio CLI and its Flex plugin are there; otherwise says how to
// install them and exits 1.
import { spawnSync } from 'node:child_process';

const FLEX_PLUGIN = '@twilio-labs/plugin-flex';
const INSTALL_CLI = 'Install it (https://www.twilio.com/docs/twilio-cli/quickstart, e.g. `npm install -g twilio-cli`)';
const INSTALL_PLUGIN = `\`twilio plugins:install ${FLEX_PLUGIN}\``;
const ADD_PROFILE = 'a profile for your Flex account (`twilio profiles:add`)';

const [command, ...args] = process.argv.slice(2);
if (command !== 'deploy' && command !== 'release') {
  process.stderr.write('usage: node tools/flex-plugins.mjs <deploy|release> [twilio flex:plugins options]\n');
  process.exit(2);
}

const plugins = spawnSync('twilio', ['plugins'], { encoding: 'utf8' });
if (plugins.error) {
  const missing = plugins.error.code === 'ENOENT';
  fail(
    missing
      ? `npm run ${command} needs the Twilio CLI, and \`twilio\` is not on PATH.`
      : `npm run ${command}: \`twilio plugins\` could not run (${plugins.error.code}).`,
    `${INSTALL_CLI}, then its Flex plugin with ${INSTALL_PLUGIN}, and add ${ADD_PROFILE}.`,
  );
}
if (plugins.status !== 0)
  fail(`npm run ${command}: \`twilio plugins\` exited with status ${plugins.status}; check the Twilio CLI runs (\`twilio --version\`).`);
if (!plugins.stdout.includes(FLEX_PLUGIN)) {
  fail(
    `npm run ${command} needs the Twilio CLI's Flex plugin (${FLEX_PLUGIN}), which is not installed.`,
    `Install it with ${INSTALL_PLUGIN}, and add ${ADD_PROFILE} if you have none.`,
  );
}

const run = spawnSync('twilio', [`flex:plugins:${command}`, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);

function fail(...lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}
