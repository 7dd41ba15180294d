/**
 * Where the bench's processes run. On a 2-core machine shared by the instance, the stand-in,
 * Redis and the load generator, a latency percentile measures waiting for a core; pinned
 * (`taskset`, util-linux), the middleware instances get one core and everything else the
 * other, so the instance's figures are its own. Without `taskset` or a second core the run
 * keeps the shared layout and says so.
 */
import { execFileSync } from 'node:child_process';

export interface Pinning {
  /** One line for the report: the layout, or why there is none. */
  readonly description: string;
  /** The core of the middleware instances (and of the `twilio` library in the ceiling run). */
  toMeasuredCore(pid: number): void;
  /** The other core: the stand-in, Redis, the load generator, the delivery sink. */
  toOtherCore(pid: number): void;
}

/** "0-2,5" → [0, 1, 2, 5]. */
function cpuList(list: string): number[] {
  return list.split(',').flatMap((range) => {
    const [first, last = first] = range.split('-').map(Number) as [number, number?];
    return Array.from({ length: last! - first + 1 }, (_, index) => first + index);
  });
}

/** Every thread of `pid` on `core`; threads started later inherit it. */
function pin(pid: number, core: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(core), String(pid)], { stdio: 'ignore' });
}

export function choosePinning(): Pinning {
  let allowed: number[];
  try {
    const answer = execFileSync('taskset', ['--cpu-list', '--pid', String(process.pid)], { encoding: 'utf8' });
    allowed = cpuList(answer.slice(answer.lastIndexOf(':') + 1).trim());
  } catch {
    return unpinned('taskset (util-linux) is not installed');
  }
  if (allowed.length < 2) return unpinned(`this process may run on ${allowed.length} core only`);
  const [measured, other] = allowed as [number, number];
  return {
    description: `pinned with taskset: middleware instances (and, in the ceiling run, the twilio library) on CPU ${measured}; the stand-in, Redis, the load generator and the delivery sink on CPU ${other}`,
    toMeasuredCore: (pid) => pin(pid, measured),
    toOtherCore: (pid) => pin(pid, other),
  };
}

function unpinned(reason: string): Pinning {
  return {
    description: `not pinned (${reason}): every process shares every core, so latency includes waiting for a core`,
    toMeasuredCore: () => {},
    toOtherCore: () => {},
  };
}
