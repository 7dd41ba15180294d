/**
 * npm run faults [-- --customers 250 --messages 20 --kills 2 --outage-seconds 30 --seed 7 --only <name>]
 *
 * Runs the reliability scenarios outside the test suite, with larger counts, and
 * prints per scenario: messages sent, faults injected, lost, duplicated, out of order, time
 * to drain against its target. Exits 1 when anything was lost, duplicated or reordered, a
 * drain took longer than its target, or a scenario could not finish (each named, with why).
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { mediaFaultsScenario } from './media-fault-scenario.js';
import { MESSENGER_FAULT_PLATFORMS, messengerFaultsScenario } from './messenger-fault-scenario.js';
import { channelOutageScenario, duplicatesScenario, failures, type ScenarioResult, twilioFaultsScenario } from './fault-scenarios.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '250' },
    messages: { type: 'string', default: '20' },
    kills: { type: 'string', default: '2' },
    'outage-seconds': { type: 'string', default: '30' },
    seed: { type: 'string', default: '7' },
    only: { type: 'string' },
  },
});
const customers = Number(values.customers);
const messagesPerCustomer = Number(values.messages);
const seed = Number(values.seed);
const log = (line: string) => process.stderr.write(`${line}\n`);

const scenarios: Array<[string, () => Promise<ScenarioResult>]> = [
  ['twilio-faults', () => twilioFaultsScenario({ customers, messagesPerCustomer, seed, log })],
  ['kill', () => twilioFaultsScenario({ customers, messagesPerCustomer, kills: Number(values.kills), seed, log })],
  [
    'outage',
    () =>
      channelOutageScenario({
        customers: 20,
        repliesPerCustomer: 10,
        outageMs: Number(values['outage-seconds']) * 1000,
        seed,
        log,
      }),
  ],
  ['duplicates', () => duplicatesScenario({ customers: 50, messagesPerCustomer: 10, repliesPerCustomer: 5, seed, log })],
  ['media', () => mediaFaultsScenario({ customers: 20, attachmentsPerCustomer: 5, hostDownMs: Number(values['outage-seconds']) * 1000, kills: 1, seed, log })],
  ...MESSENGER_FAULT_PLATFORMS.map((platform): [string, () => Promise<ScenarioResult>] => [
    platform.name,
    () => messengerFaultsScenario(platform, { customers: 50, messagesPerCustomer: 10, repliesPerCustomer: 5, kills: 1, seed, log }),
  ]),
];

const results: ScenarioResult[] = [];
/** Scenarios that could not finish, with why: reported like the others, not as a stack trace. */
const crashed: Array<{ name: string; reason: string }> = [];
for (const [name, run] of scenarios) {
  if (values.only && values.only !== name) continue;
  log(`running ${name} ...`);
  try {
    results.push(await run());
  } catch (error) {
    crashed.push({ name, reason: error instanceof Error ? error.message : String(error) });
  }
}

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
process.stdout.write(`npm run faults: ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${availableParallelism()} cores (${cpu})\n`);
process.stdout.write('Twilio faults: 10% of writes 429 (Retry-After 1 s), 2% 500, 0-200 ms latency on every write; seed ' + seed + '\n');
process.stdout.write('Attachments: 10% of MCS uploads 429, 2% 500; the channel media host down for the outage; one kill -9\n');
process.stdout.write(
  "Messengers (Viber, Instagram): Twilio's faults above; each delivery sent twice; one kill -9; a tenth of the replies meet the platform's rate limit, a twentieth a 503\n\n",
);
const header = ['scenario', 'sent', 'faults injected', 'lost', 'duplicated', 'out of order', 'drain (target)', 'total'];
const rows = results.map((result) => [
  result.name,
  String(result.sent),
  `${result.faultsInjected} (${Object.entries(result.faults)
    .map(([kind, count]) => `${kind}: ${count}`)
    .join(', ')})`,
  String(result.lost),
  String(result.duplicated),
  String(result.outOfOrder),
  `${(result.drainMs / 1000).toFixed(1)} s${result.drainTargetMs === undefined ? '' : ` (${result.drainTargetMs / 1000} s)`}`,
  `${(result.totalMs / 1000).toFixed(1)} s`,
]);
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
for (const row of [header, widths.map((width) => '-'.repeat(width)), ...rows]) {
  process.stdout.write(
    `${row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()}\n`,
  );
}
const failed = [
  ...results.flatMap((result) => (failures(result).length > 0 ? [`${result.name}: ${failures(result).join('; ')}`] : [])),
  ...crashed.map(({ name, reason }) => `${name}: did not finish: ${reason}`),
];
const ok = failed.length === 0;
process.stdout.write(`\n${ok ? 'PASS: nothing lost, duplicated or reordered; every drain within its target' : `FAIL\n${failed.join('\n')}`}\n`);
process.exitCode = ok ? 0 : 1;
