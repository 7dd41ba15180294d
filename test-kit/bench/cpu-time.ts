import { readFileSync } from 'node:fs';

/** CPU time (seconds) the whole machine spent busy and in all, from /proc/stat's first line. */
function machineTimes(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/** CPU time (in clock ticks) a process spent, user and system, from /proc/<pid>/stat. */
function processTicks(pid: number): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const TICKS_PER_SECOND = 100;

export interface CpuUse {
  /** Busy share of all cores, 0..1. */
  machine: number;
  /** Cores each watched process used on average, in the order given. */
  processes: number[];
  /** CPU seconds each watched process spent, in the order given. */
  processSeconds: number[];
}

/**
 * Starts measuring; the returned function tells how busy the machine and the given
 * processes were since. Linux only (the bench's machines); elsewhere it reports nothing.
 */
export function startCpuWatch(pids: number[]): () => CpuUse | undefined {
  try {
    const machineBefore = machineTimes();
    const ticksBefore = pids.map(processTicks);
    const started = performance.now();
    return () => {
      const machineAfter = machineTimes();
      const seconds = (performance.now() - started) / 1000;
      const processSeconds = pids.map((pid, index) => (processTicks(pid) - ticksBefore[index]!) / TICKS_PER_SECOND);
      return {
        machine: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
        processes: processSeconds.map((used) => used / seconds),
        processSeconds,
      };
    };
  } catch {
    return () => undefined;
  }
}
