/**
 * npm run attack [-- --only history,slow-media,replay,uploads,log-hashes --slow-host-seconds 20
 *   --hostile-sockets 60 --hold-seconds 10 --large-messages 400 --history-events 5000
 *   --slow-customers 70 --uploads 30 --search-seconds 60 --rss-limit-mb 3000]
 *
 * Replays the five must-fix scenarios of the security review against a running middleware,
 * each on a fresh one (run as `npm start` runs it, SQLite, the Twilio stand-in in its own
 * process), on loopback only, each bounded in count and time; prints per scenario what was
 * measured, its target and PASS or MISS, then a summary table. Exits 0 whatever was measured;
 * 1 only when a scenario could not run.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { buildMiddleware } from '../src/production-command.js';
import { historyScenario } from './history-memory.js';
import { logHashesScenario } from './log-hashes.js';
import { log, verdict, type Outcome } from './measure.js';
import { replayScenarios } from './replay.js';
import { closeAllRigs, killAllRigs } from './rig.js';
import { slowMediaScenario } from './slow-media.js';
import { uploadsScenario } from './uploads.js';

/** Each option's default and the bounds it is held to, so no run can grow without limit. */
const OPTIONS = {
  'slow-host-seconds': { default: 20, min: 1, max: 120 },
  'slow-customers': { default: 70, min: 1, max: 200 },
  'hostile-sockets': { default: 60, min: 1, max: 200 },
  'hold-seconds': { default: 10, min: 1, max: 60 },
  'large-messages': { default: 400, min: 0, max: 1000 },
  'history-events': { default: 5000, min: 1, max: 10_000 },
  'rss-limit-mb': { default: 3000, min: 100, max: 8000 },
  uploads: { default: 30, min: 1, max: 100 },
  'search-seconds': { default: 60, min: 1, max: 300 },
} as const;
type Knob = keyof typeof OPTIONS;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    ...(Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, { type: 'string' }])) as Record<Knob, { type: 'string' }>),
  },
});

function knob(name: Knob): number {
  const { default: fallback, min, max } = OPTIONS[name];
  const value = values[name] === undefined ? fallback : Number(values[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

const scenarios: Array<[string, () => Promise<Outcome | Outcome[]>]> = [
  [
    'history',
    async () => {
      const options = {
        largeMessages: knob('large-messages'),
        historyEvents: knob('history-events'),
        hostileSockets: knob('hostile-sockets'),
        holdSeconds: knob('hold-seconds'),
        rssLimitMb: knob('rss-limit-mb'),
      };
      return [await historyScenario({ ...options, liftVisitorLimits: false }), await historyScenario({ ...options, liftVisitorLimits: true })];
    },
  ],
  ['slow-media', () => slowMediaScenario({ customers: knob('slow-customers'), hostDelaySeconds: knob('slow-host-seconds') })],
  ['replay', () => replayScenarios()],
  ['uploads', () => uploadsScenario({ uploads: knob('uploads') })],
  ['log-hashes', () => logHashesScenario({ searchSeconds: knob('search-seconds') })],
];

async function main(): Promise<boolean> {
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !scenarios.some(([known]) => known === name)) ?? [];
  if (unknown.length > 0) throw new Error(`no scenario ${unknown.join(', ')}; there are ${scenarios.map(([name]) => name).join(', ')}`);
  // A value out of bounds stops the run before anything starts.
  for (const name of Object.keys(OPTIONS) as Knob[]) knob(name);
  const begun = performance.now();
  log('building the middleware (npm run build) ...');
  buildMiddleware();
  const outcomes: Outcome[] = [];
  const crashed: string[] = [];
  for (const [name, run] of scenarios) {
    if (only && !only.includes(name)) continue;
    log(`running ${name} ...`);
    try {
      for (const outcome of [await run()].flat()) {
        outcomes.push(outcome);
        process.stdout.write(`${outcome.scenario}: ${outcome.measured} | target ${outcome.target} | ${verdict(outcome)}\n`);
      }
    } catch (error) {
      crashed.push(name);
      process.stdout.write(`${name}: did not finish: ${error instanceof Error ? error.message : String(error)}\n`);
      await closeAllRigs();
    }
  }
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  process.stdout.write(
    `\nnpm run attack: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit()}, node ${process.version}, ${availableParallelism()} cores (${cpu}), ${((performance.now() - begun) / 1000).toFixed(0)} s\n\n`,
  );
  process.stdout.write(
    [
      '| scenario | measured | target | result |',
      '|---|---|---|---|',
      ...outcomes.map(row),
      ...crashed.map((name) => `| ${name} | did not finish | | ERROR |`),
    ].join('\n') + '\n',
  );
  return crashed.length === 0;
}

function row(outcome: Outcome): string {
  return `| ${outcome.scenario} | ${outcome.measured} | ${outcome.target} | ${verdict(outcome)} |`;
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

process.on('exit', killAllRigs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the middleware and the stand-in ...`);
    void closeAllRigs().finally(() => process.exit(130));
  });
}
main().then(
  (finished) => {
    process.exitCode = finished ? 0 : 1;
  },
  (error: unknown) => {
    process.stderr.write(`attack failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
