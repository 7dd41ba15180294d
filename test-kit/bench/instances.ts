/**
 * The bench's child processes that report over IPC: each middleware instance, started as
 * `npm start` starts it with bench/probe.ts preloaded, and pinned to the measured core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_DIR } from '@custom-channels/middleware';
import ts from 'typescript';
import { freePort } from '../src/free-port.js';
import { untilServing } from '../src/poll.js';
import { productionCommand } from '../src/production-command.js';
import type { Pinning } from './pinning.js';

// Instances run as `npm start` runs them in production: the compiled build (tsx would add ~30 MB) with its node options.
const { env: startEnv, nodeOptions, entry } = productionCommand();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface Report {
  inboundLatencies: number[];
  deliveryLatencies: number[];
  messagesPosted: number;
  unmatched: number;
  maxRssKb: number;
  memory: NodeJS.MemoryUsage;
  loopDelayMs: { p99: number; max: number; gcPauseMax: number };
  /** CPU seconds per thread name since the last reset (the latency phase). */
  threadCpuSeconds: Record<string, number>;
  /** The latency phase's garbage collections by kind: how many, their pauses in all and the longest. */
  /** Since the last reset: how long the main thread waited for its core, how often it was preempted. */
  mainThreadWaits: { waitedMs: number; preempted: number };
  gcByKind: Record<string, { count: number; totalMs: number; maxMs: number }>;
}

export interface Counts {
  messagesPosted: number;
  deliveriesSent: number;
}

/** A middleware instance with the probe preloaded. */
export class Child {
  private counts: Array<(counts: Counts) => void> = [];
  private reports: Array<(report: Report) => void> = [];
  private resets: Array<() => void> = [];
  readonly exited: Promise<void>;
  private stopping = false;
  static readonly all = new Set<ChildProcess>();
  constructor(
    readonly process: ChildProcess,
    readonly url: string,
  ) {
    Child.all.add(process);
    process.once('exit', (code, signal) => {
      Child.all.delete(process);
      // A process that dies under load resets every connection it held: say which one it was.
      if (!this.stopping) log(`${url} (pid ${process.pid}) exited unexpectedly: ${signal ?? `code ${code}`}`);
    });
    process.on('message', (message: { type: string } & Report & Counts) => {
      if (message.type === 'count') this.counts.shift()?.({ messagesPosted: message.messagesPosted, deliveriesSent: message.deliveriesSent });
      if (message.type === 'report') this.reports.shift()?.(message);
      if (message.type === 'reset-done') this.resets.shift()?.();
    });
    this.exited = new Promise((done) => process.once('exit', () => done()));
  }
  /** Messages this instance has posted to the stand-in, deliveries it has sent; cheap enough to poll every 20 ms. */
  count(): Promise<Counts> {
    return new Promise((done) => {
      this.counts.push(done);
      this.process.send({ type: 'count' });
    });
  }
  report(): Promise<Report> {
    return new Promise((done) => {
      this.reports.push(done);
      this.process.send({ type: 'report' });
    });
  }
  reset(): Promise<void> {
    return new Promise((done) => {
      this.resets.push(done);
      this.process.send({ type: 'reset' });
    });
  }
  /** SIGTERM, then SIGKILL after `graceMs` (a CPU profile is written only on a clean exit). */
  async stop(graceMs: number): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.stopping = true;
    this.process.kill('SIGTERM');
    await Promise.race([this.exited, sleep(graceMs).then(() => this.process.kill('SIGKILL'))]);
  }
}

/**
 * The probe as plain JavaScript, so the measured process loads no TypeScript loader (tsx costs
 * about 30 MB of RSS and would skew the memory figures).
 */
function compileProbe(): string {
  const source = readFileSync(fileURLToPath(new URL('./probe.ts', import.meta.url)), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(mkdtempSync(join(tmpdir(), 'cc-bench-probe-')), 'probe.mjs');
  writeFileSync(file, outputText);
  return file;
}
const probeFile = compileProbe();

export async function startInstance(env: Record<string, string>, pinning: Pinning, nodeArgs: string[]): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeOptions, ...nodeArgs, '--import', probeFile, entry], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...startEnv, ...env, PORT: String(port), PUBLIC_BASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  pinning.toMeasuredCore(child.pid!);
  const wrapped = new Child(child, url);
  await untilServing(child, `${url}/readyz`, { what: 'a middleware instance', timeoutMs: 30_000 });
  return wrapped;
}
