import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from '@custom-channels/middleware';

/** How `npm start` runs the middleware: the environment it sets, node's options and the compiled entry point. */
export interface ProductionCommand {
  env: Record<string, string>;
  nodeOptions: string[];
  entry: string;
}

const ASSIGNMENT = /^([A-Z_][A-Z0-9_]*)=(\S*)$/;

/**
 * Reads `npm start` from package.json (`[NAME=value ...] node <options> <entry>`), so the
 * benchmark and the tests run the middleware with exactly the settings production runs it with.
 */
export function productionCommand(): ProductionCommand {
  const { scripts } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = scripts.start.trim().split(/\s+/);
  const env: Record<string, string> = {};
  for (let match = ASSIGNMENT.exec(words[0] ?? ''); match; match = ASSIGNMENT.exec(words[0] ?? '')) {
    env[match[1]!] = match[2]!;
    words.shift();
  }
  const [program, ...rest] = words;
  const entry = rest.pop();
  if (program !== 'node' || !entry) throw new Error(`package.json "start" is not "[NAME=value ...] node <options> <entry>": ${scripts.start}`);
  return { env, nodeOptions: rest, entry };
}

/** Compiles the middleware into build/ (`npm run build`), as before `npm start`. */
export function buildMiddleware(): void {
  execFileSync('npm', ['run', 'build'], { cwd: PACKAGE_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
}
