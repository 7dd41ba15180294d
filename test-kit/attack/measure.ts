/** What the scenarios measure with, and how a result is reported. */
import { eventually } from '../src/poll.js';

export interface Outcome {
  scenario: string;
  /** The measured values, in words and numbers. */
  measured: string;
  target: string;
  pass: boolean;
}

export const verdict = (outcome: Outcome) => (outcome.pass ? 'PASS' : 'MISS');

export const log = (line: string) => process.stderr.write(`${line}\n`);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export const formatMs = (ms: number) => (Number.isNaN(ms) ? 'n/a' : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

/** How long `GET /healthz` took, in ms; a probe that gets no answer within `timeoutMs` counts as that long. */
export async function probeHealth(middlewareUrl: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  try {
    const response = await fetch(`${middlewareUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
  } catch {
    return timeoutMs;
  }
  return performance.now() - started;
}

/** Samples a value every `intervalMs` and keeps the highest, until stopped. */
export function peakSampler(sample: () => number, intervalMs: number): { peak: () => number; stop: () => number } {
  let peak = sample();
  const timer = setInterval(() => {
    peak = Math.max(peak, sample());
  }, intervalMs);
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      return Math.max(peak, sample());
    },
  };
}

/** Whether `check` holds within `timeoutMs`, looking every `intervalMs`. */
export function holdsWithin(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  return eventually(check, 'a condition', timeoutMs, intervalMs).then(
    () => true,
    () => false,
  );
}
