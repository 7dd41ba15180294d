/**
 * `npm run deploy` / `npm run release` (tools/flex-plugins.mjs) with a PATH of the test's own:
 * no `twilio` at all, a `twilio` without the Flex plugin, and one with it (a script standing
 * in for the CLI, which needs Twilio's servers).
 */
import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

const TOOL = resolve(__dirname, '../../tools/flex-plugins.mjs');
const NODE_DIR = dirname(process.execPath);

/** A PATH with node and, when given, a `twilio` whose `plugins` lists `installed` and which records its other calls. */
function pathWith(twilio?: { installed: string }): { path: string; calls: string } {
  const bin = mkdtempSync(join(tmpdir(), 'flex-plugins-'));
  const calls = join(bin, 'calls');
  if (twilio) {
    const script = `#!/bin/sh\nif [ "$1" = plugins ]; then echo '${twilio.installed}'; exit 0; fi\nprintf '%s\\n' "$@" > '${calls}'\nexit 3\n`;
    writeFileSync(join(bin, 'twilio'), script);
    chmodSync(join(bin, 'twilio'), 0o755);
  }
  return { path: `${bin}:${NODE_DIR}`, calls };
}

function run(command: string, path: string, ...args: string[]) {
  return spawnSync(process.execPath, [TOOL, command, ...args], { encoding: 'utf8', env: { PATH: path } });
}

test('without the Twilio CLI: exit 1 and how to install it, its Flex plugin and a profile', () => {
  const result = run('deploy', pathWith().path);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('npm run deploy needs the Twilio CLI, and `twilio` is not on PATH.');
  expect(result.stderr).toContain('twilio plugins:install @twilio-labs/plugin-flex');
  expect(result.stderr).toContain('twilio profiles:add');
});

test('with the CLI but not its Flex plugin: exit 1 and how to install the plugin', () => {
  const result = run('release', pathWith({ installed: '@oclif/plugin-help 5.2.0' }).path);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("npm run release needs the Twilio CLI's Flex plugin (@twilio-labs/plugin-flex), which is not installed.");
});

test('with both: runs twilio flex:plugins:<command> with the arguments given, and exits with its status', () => {
  const { path, calls } = pathWith({ installed: '@twilio-labs/plugin-flex 7.1.2' });
  const result = run('deploy', path, '--changelog', 'Custom channels: add ChatApp');
  expect(result.status).toBe(3);
  expect(readFileSync(calls, 'utf8')).toBe('flex:plugins:deploy\n--changelog\nCustom channels: add ChatApp\n');
});
