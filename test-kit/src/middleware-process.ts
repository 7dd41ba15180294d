import { spawn, type ChildProcess } from 'node:child_process';
import { PACKAGE_DIR } from '@custom-channels/middleware';
import { untilServing } from './poll.js';
import { stopChild } from './stop-child.js';

export interface MiddlewareProcess {
  readonly url: string;
  /** The running process's id (it changes on a restart). */
  readonly pid: number | undefined;
  /** SIGKILL, then start again on the same port and SQLite file. */
  crashAndRestart(): Promise<void>;
  /** SIGTERM (graceful), or SIGKILL after 10 s; resolves with the exit code (null when killed). */
  stop(): Promise<number | null>;
  /** The last lines it wrote (warnings and errors), for diagnosis. */
  output(): string[];
}

/**
 * The middleware as its own process, configured by `env` alone. By default from its sources
 * (`node --import tsx src/main.ts`, no build needed); `nodeArgs` can name another command,
 * such as `npm start`'s compiled build. `onOutput` receives everything it writes, unabridged.
 * `cwd` (default: the middleware's folder) is where it runs, e.g. an image's working directory.
 */
export async function startMiddlewareProcess(
  env: Record<string, string>,
  nodeArgs = ['--import', 'tsx', 'src/main.ts'],
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void,
  cwd = PACKAGE_DIR,
): Promise<MiddlewareProcess> {
  const url = `http://127.0.0.1:${env.PORT}`;
  const lines: string[] = [];
  let child: ChildProcess;
  const launch = async () => {
    // A clean environment: nothing from the caller's (TWILIO_REGION would rewrite the stand-in's host).
    child = spawn(process.execPath, nodeArgs, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      onOutput?.(chunk, 'stdout');
      keep(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      onOutput?.(chunk, 'stderr');
      keep(chunk);
    });
    await untilServing(child, `${url}/readyz`, { what: 'the middleware', timeoutMs: 60_000, output: () => lines });
  };
  const exit = (signal: NodeJS.Signals, graceMs: number) => stopChild(child, signal, graceMs);
  await launch();
  return {
    url,
    get pid() {
      return child.pid;
    },
    async crashAndRestart() {
      await exit('SIGKILL', 0);
      await launch();
    },
    stop: () => exit('SIGTERM', 10_000),
    output: () => [...lines],
  };
}
