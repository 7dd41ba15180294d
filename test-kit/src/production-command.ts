import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from '@custom-channels/middleware';

/** How `npm start` runs the middleware: node's options and the compiled entry point. */
export interface ProductionCommand {
  nodeOptions: string[];
  entry: string;
}

/**
 * Reads `npm start` from package.json (`node <options> <entry>`), so the benchmark and the
 * tests run the middleware with exactly the options production runs it with.
 */
export function productionCommand(): ProductionCommand {
  const { scripts } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [program, ...rest] = scripts.start.trim().split(/\s+/);
  const entry = rest.pop();
  if (program !== 'node' || !entry) throw new Error(`package.json "start" is not "node <options> <entry>": ${scripts.start}`);
  return { nodeOptions: rest, entry };
}

/** Compiles the middleware into build/ (`npm run build`), as before `npm start`. */
export function buildMiddleware(): void {
  execFileSync('npm', ['run', 'build'], { cwd: PACKAGE_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
}
