/**
 * Must-fix 3, replays: a customer's signed message is captured as it goes out, the customer is
 * erased (`DELETE /admin/customers/...`, their Twilio conversation too), and the captured
 * request is sent again byte for byte. Measured: the answer, and whether anything about the
 * customer came back (their message in Flex, or anything a second erasure finds). Then a
 * captured request whose signed time is past the tolerance window, where the scheme has one.
 */
import { conversationWith, waitForConversationWith } from './flex-arrival.js';
import { sleep, type Outcome } from './measure.js';
import { CHANNEL, type AttackRig, startAttackRig } from './rig.js';
import { sendRequest, signedInboundRequest } from './sign-inbound.js';

/** How long a replayed message gets to reach Flex before it counts as not having come back (a first message takes well under 1 s). */
const COME_BACK_WAIT_MS = 5000;
/** Older than the default tolerance window (5 minutes). */
const STALE_BY_SECONDS = 600;

interface ErasureCounts {
  sessions?: number;
  pendingEntries?: number;
  deadLetters?: number;
}

export async function replayScenarios(): Promise<Outcome[]> {
  const rig = await startAttackRig();
  try {
    return [await replayAfterErasure(rig), await staleReplay(rig)];
  } finally {
    await rig.close();
  }
}

async function replayAfterErasure(rig: AttackRig): Promise<Outcome> {
  const customer = { id: 'replay-customer', name: 'Replay Customer' };
  const text = 'a message that will be replayed';
  const captured = signedInboundRequest(rig.url, CHANNEL, rig.channelSecret, JSON.stringify({ id: 'replay-1', from: customer, text }));
  const first = await sendRequest(captured);
  if (first !== 202) throw new Error(`the middleware answered ${first} to the original message`);
  if (!(await waitForConversationWith(rig.admin, text, 30_000))) throw new Error('the original message did not reach Flex within 30 s');

  const erased = await erase(rig, customer.id, true);
  const replayed = await sendRequest(captured);
  await sleep(COME_BACK_WAIT_MS);
  const inFlex = (await conversationWith(rig.admin, text)) !== undefined;
  const stored = await erase(rig, customer.id, false);
  const storedCount = (stored.sessions ?? 0) + (stored.pendingEntries ?? 0) + (stored.deadLetters ?? 0);
  return {
    scenario: 'replay after erasure',
    measured:
      `erasure: ${describe(erased)}; the identical request again: ${replayed}, ` +
      `message in Flex again: ${inFlex ? 'yes' : 'no'}, stored again: ${describe(stored)}`,
    target: 'refused, nothing stored',
    pass: !inFlex && storedCount === 0,
  };
}

async function staleReplay(rig: AttackRig): Promise<Outcome> {
  const body = JSON.stringify({ id: 'stale-1', from: { id: 'stale-customer', name: 'Stale Customer' }, text: 'a message signed long ago' });
  const signedAt = Math.floor(Date.now() / 1000) - STALE_BY_SECONDS;
  const target = 'refused (401)';
  const status = await sendRequest(signedInboundRequest(rig.url, CHANNEL, rig.channelSecret, body, signedAt));
  return {
    scenario: 'replay after the window',
    measured: `a request signed ${STALE_BY_SECONDS / 60} minutes ago: ${status}`,
    target,
    pass: status === 401,
  };
}

async function erase(rig: AttackRig, customerId: string, withTwilio: boolean): Promise<ErasureCounts> {
  const response = await fetch(`${rig.url}/admin/customers/${CHANNEL}/${encodeURIComponent(customerId)}?twilio=${withTwilio}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${rig.adminToken}` },
  });
  const body = (await response.json()) as { erased?: ErasureCounts };
  if (!response.ok || !body.erased) throw new Error(`erasing the customer answered ${response.status}`);
  return body.erased;
}

function describe(counts: ErasureCounts): string {
  return `${counts.sessions ?? 0} sessions, ${counts.pendingEntries ?? 0} pending, ${counts.deadLetters ?? 0} dead letters`;
}
