/**
 * `npm run bench`: the message bench, then the attachments bench, each in a process of its
 * own. Arguments go to the message bench; with `--profile` the attachments bench is skipped
 * (the profile is of the message path).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const run = (script: string, scriptArgs: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...scriptArgs], { stdio: 'inherit' }).status ?? 1;

let status = run('./run.ts', args);
if (status === 0 && !args.includes('--profile')) status = run('./attachments.ts', []);
process.exit(status);
