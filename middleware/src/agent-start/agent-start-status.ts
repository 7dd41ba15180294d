import type { FlexGateway } from '../flex/flex-gateway.js';
import type { InboundPayload } from '../inbound/inbound-payload.js';
import { customerOrderingKey, type Store } from '../store/store.js';

/** Where an agent's accepted request stands: still on its way, started (their message is in the conversation), or failed for good. */
export type AgentStartStatus = { status: 'pending' } | { status: 'started' } | { status: 'failed'; reason: string };

export interface AgentStartStatusDeps {
  store: Pick<Store, 'listDeadLetters' | 'findActiveSession'>;
  gateway: Pick<FlexGateway, 'wasPosted'>;
}

/** One request of one agent, as the plugin names it. */
export interface AgentStartQuery {
  requestId: string;
  channelType: string;
  customerId: string;
  workerSid: string;
}

/** The customer's dead letters read per call while looking for the request's. */
const PAGE = 100;

/**
 * Read from what the request left, without a record of its own: a to-flex dead letter of this
 * agent's request means the opening failed for good; their first message in the customer's open
 * conversation means it started; anything else is still on its way. Only the customer's own
 * dead letters come back (their ordering key), not every customer's page after page.
 */
export async function agentStartStatusOf(deps: AgentStartStatusDeps, query: AgentStartQuery): Promise<AgentStartStatus> {
  const orderingKey = customerOrderingKey(query.channelType, query.customerId);
  for (let afterId = 0; ;) {
    const page = await deps.store.listDeadLetters({ queue: 'to-flex', orderingKey, afterId, limit: PAGE });
    const letter = page.find((entry) => {
      const agentStart = (entry.payload as Partial<InboundPayload> | undefined)?.agentStart;
      return agentStart?.requestId === query.requestId && agentStart.workerSid === query.workerSid;
    });
    if (letter) return { status: 'failed', reason: letter.reason };
    if (page.length < PAGE) break;
    afterId = page.at(-1)!.id;
  }
  const session = await deps.store.findActiveSession(query.channelType, query.customerId);
  if (session?.state === 'open' && (await deps.gateway.wasPosted(session, `outbound:${query.requestId}`))) return { status: 'started' };
  return { status: 'pending' };
}
