import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where downloaded attachments wait for their upload, one file each, so that no attachment is
 * ever held whole in memory. A file is removed once uploaded; whatever a crash left is removed
 * when a spool is next opened (its outbox entry downloads again).
 */
export interface Spool {
  readonly dir: string;
  newFile(): string;
  discard(path: string): Promise<void>;
  /** Removes the folder and what is left in it (at shutdown). */
  close(): Promise<void>;
}

/**
 * Opens a spool: a folder of its own under `root`, named by the process id, so that instances
 * sharing a data folder never remove each other's files. The folders of processes that no
 * longer run are removed.
 */
export function openSpool(root: string): Spool {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(root)) {
    const pid = /^(\d+)-/.exec(name)?.[1];
    if (pid && !isRunning(Number(pid))) rmSync(join(root, name), { recursive: true, force: true });
  }
  const dir = join(root, `${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  return {
    dir,
    newFile: () => join(dir, `attachment-${randomBytes(12).toString('hex')}`),
    discard: (path) => rm(path, { force: true }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
