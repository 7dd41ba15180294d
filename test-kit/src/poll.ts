import type { ChildProcess } from 'node:child_process';

/** Waits until `check` returns a value other than undefined/false, or fails after the deadline. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  description: string,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for: ${description}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until a child process serves `url` (answers 2xx), looking every 50 ms; fails at once
 * if the child exits first. `output` adds what it wrote to the error.
 */
export async function untilServing(child: ChildProcess, url: string, options: { what: string; timeoutMs: number; output?: () => string[] }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const written = () => (options.output ? `:\n${options.output().slice(-20).join('\n')}` : '');
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.what} exited with code ${child.exitCode}${written()}`);
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline) throw new Error(`${options.what} was not ready within ${options.timeoutMs / 1000} s${written()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
