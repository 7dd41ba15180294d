/**
 * Must-fix 2, slow media hosts: customers send attachments whose host answers only after a
 * long while, then a customer with nothing to do with them sends a text. Measured: how long
 * that text takes to reach Flex, against the same text with no attachment waiting.
 */
import { startMediaHost } from '../src/media-host.js';
import { arrivalDelay, waitForConversationWith } from './flex-arrival.js';
import { formatMs, holdsWithin, log, type Outcome } from './measure.js';
import { CHANNEL, startAttackRig, type AttackRig } from './rig.js';
import { sendRequest, signedInboundRequest } from './sign-inbound.js';

export interface SlowMediaOptions {
  /** Customers each sending one attachment from the slow host. */
  customers: number;
  /** How long the host takes to answer. */
  hostDelaySeconds: number;
}

const TARGET_MS = 1000;
const BYSTANDER = { id: 'bystander', name: 'Unrelated Customer' };

export async function slowMediaScenario(options: SlowMediaOptions): Promise<Outcome> {
  const host = await startMediaHost();
  const rig = await startAttackRig();
  try {
    const send = (id: string, from: { id: string; name: string }, content: Record<string, unknown>) =>
      sendRequest(signedInboundRequest(rig.url, CHANNEL, rig.channelSecret, JSON.stringify({ id, from, ...content })));
    // The bystander's conversation exists before anything is measured: each text then only has to be posted.
    await expectAccepted(send('bystander-1', BYSTANDER, { text: 'bystander: first message' }));
    const conversationSid = await waitForConversationWith(rig.admin, 'bystander: first message', 30_000);
    if (!conversationSid) throw new Error("the unrelated customer's first message did not reach Flex within 30 s");

    const baseline = await textDelay(rig, send, conversationSid, 'bystander: baseline', 30_000);

    await Promise.all(
      Array.from({ length: options.customers }, async (_, index) => {
        const { url } = host.add(`slow-${index}.png`, { size: 4096, delayMs: options.hostDelaySeconds * 1000 });
        await expectAccepted(
          send(`slow-${index}`, { id: `slow-customer-${index}`, name: `Slow Customer ${index}` }, { media: [{ url, filename: `slow-${index}.png` }] }),
        );
      }),
    );
    // The downloads under way: every one, or as many as the middleware lets start at once (the count stops growing).
    let last = -1;
    let changedAt = Date.now();
    await holdsWithin(
      () => {
        const now = host.waiting;
        if (now !== last) [last, changedAt] = [now, Date.now()];
        return now >= options.customers || (now > 0 && Date.now() - changedAt >= 1500);
      },
      20_000,
      250,
    );
    const waiting = host.waiting;
    log(`  ${waiting} downloads waiting at the slow host (it answers after ${options.hostDelaySeconds} s)`);
    const underLoad = await textDelay(rig, send, conversationSid, 'bystander: behind the slow attachments', (options.hostDelaySeconds + 70) * 1000);
    return {
      scenario: 'slow media hosts',
      measured:
        `unrelated customer's text reached Flex after ${underLoad === undefined ? `> ${options.hostDelaySeconds + 70} s` : formatMs(underLoad)} ` +
        `with ${waiting} of ${options.customers} attachment downloads waiting at a host answering after ${options.hostDelaySeconds} s (baseline ${formatMs(baseline ?? Number.NaN)})`,
      target: `< ${formatMs(TARGET_MS)}`,
      pass: underLoad !== undefined && underLoad < TARGET_MS,
    };
  } finally {
    await host.close();
    await rig.close();
  }
}

type Send = (id: string, from: { id: string; name: string }, content: Record<string, unknown>) => Promise<number>;

/** The bystander sends `text`: how long until Flex has it, from the moment it was sent. */
async function textDelay(rig: AttackRig, send: Send, conversationSid: string, text: string, timeoutMs: number): Promise<number | undefined> {
  const sentAt = performance.now();
  await expectAccepted(send(text.replace(/\W+/g, '-'), BYSTANDER, { text }));
  return arrivalDelay(rig.admin, conversationSid, text, sentAt, timeoutMs);
}

async function expectAccepted(status: Promise<number>): Promise<void> {
  const answered = await status;
  if (answered !== 202) throw new Error(`the middleware answered ${answered} to a signed message`);
}
