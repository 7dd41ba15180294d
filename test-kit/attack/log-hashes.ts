/**
 * Must-fix 5, customer ids in logs: a customer whose id is a phone number sends a message to
 * a middleware logging at `debug`; the customer hashes in its log lines are then attacked by
 * enumerating the whole `+1555xxxxxxx` range with the unkeyed SHA-256 cut to 12 hex digits
 * that `hashForLog` used. Measured: whether the id came back, and how many lines carry it in clear.
 */
import { hash } from 'node:crypto';
import { waitForConversationWith } from './flex-arrival.js';
import { formatMs, log, sleep, type Outcome } from './measure.js';
import { CHANNEL, startAttackRig } from './rig.js';
import { sendRequest, signedInboundRequest } from './sign-inbound.js';

export interface LogHashesOptions {
  /** The enumeration stops after this long, whatever it has tried. */
  searchSeconds: number;
}

const PREFIX = '+1555';
const RANGE = 10_000_000;
/** A fixed number in the middle of the range: the search goes through it in order, from +15550000000. */
const PHONE = `${PREFIX}4827193`;

export async function logHashesScenario(options: LogHashesOptions): Promise<Outcome> {
  const rig = await startAttackRig({ logLevel: 'debug', keepStdout: true });
  let lines: string[];
  try {
    const text = 'a message from a phone number';
    const status = await sendRequest(
      signedInboundRequest(rig.url, CHANNEL, rig.channelSecret, JSON.stringify({ id: 'phone-1', from: { id: PHONE, name: 'Phone Customer' }, text })),
    );
    if (status !== 202) throw new Error(`the middleware answered ${status} to the phone customer's message`);
    if (!(await waitForConversationWith(rig.admin, text, 30_000))) throw new Error("the phone customer's message did not reach Flex within 30 s");
    await sleep(500);
    lines = [...rig.stdout];
  } finally {
    await rig.close();
  }
  const hashes = customerHashes(lines);
  const inClear = lines.filter((line) => line.includes(PHONE.slice(1))).length;
  log(`  ${hashes.size} customer hashes in ${lines.length} log lines; searching ${PREFIX}xxxxxxx for ${options.searchSeconds} s at most`);
  const search = enumerate(hashes, options.searchSeconds * 1000);
  const tried = `${search.tried.toLocaleString('en-US')} of ${RANGE.toLocaleString('en-US')} candidates in ${formatMs(search.ms)}`;
  const found = search.recovered
    ? `recovered ${search.recovered}${search.recovered === PHONE ? ' (the customer)' : ''} after ${tried}`
    : `not recovered (${tried})`;
  return {
    scenario: 'log hashes',
    measured: `${found}; ${hashes.size} customer hashes in ${lines.length} log lines, the id in clear in ${inClear}`,
    target: 'not recovered, never in clear',
    pass: search.recovered === undefined && inClear === 0,
  };
}

/** The values of every `customer` field in the JSON log lines. */
function customerHashes(lines: string[]): Set<string> {
  const hashes = new Set<string>();
  for (const line of lines) {
    try {
      const { customer } = JSON.parse(line) as { customer?: unknown };
      if (typeof customer === 'string') hashes.add(customer);
    } catch {
      // Not a JSON line.
    }
  }
  return hashes;
}

/** Tries every number of the range in order with `hashForLog`'s unkeyed scheme, until one matches, or the range or the time runs out. */
function enumerate(hashes: Set<string>, budgetMs: number): { recovered?: string; tried: number; ms: number } {
  // The first 12 hex digits of any hex hash: a match there recovers the id, whatever the length logged.
  const targets = new Set([...hashes].filter((value) => /^[0-9a-f]{12,}$/.test(value)).map((value) => value.slice(0, 12)));
  const started = performance.now();
  let tried = 0;
  if (targets.size > 0) {
    for (let n = 0; n < RANGE; n += 1) {
      const candidate = `${PREFIX}${String(n).padStart(7, '0')}`;
      tried += 1;
      if (targets.has(hash('sha256', candidate, 'hex').slice(0, 12))) return { recovered: candidate, tried, ms: performance.now() - started };
      if ((n & 0xffff) === 0 && performance.now() - started > budgetMs) break;
    }
  }
  return { tried, ms: performance.now() - started };
}
