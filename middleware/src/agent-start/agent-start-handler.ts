import type { ChannelRuntime } from '../config/channels.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import { failureOf } from '../flex/twilio-errors.js';
import type { InboundPayload } from '../inbound/inbound-payload.js';
import type { Metrics } from '../observability/metrics.js';
import { permanent } from '../outbox/failure.js';
import type { OutboxHandler } from '../outbox/outbox-worker.js';
import type { SessionOpener } from '../sessions/session-opener.js';
import type { Store } from '../store/store.js';

export interface AgentStartHandlerDeps {
  channels: ReadonlyMap<string, ChannelRuntime>;
  store: Pick<Store, 'findActiveSession'>;
  gateway: Pick<FlexGateway, 'inviteAgent' | 'postAgentMessage' | 'wasPosted'>;
  openSession: SessionOpener;
  metrics: Metrics;
}

/**
 * An agent's outbound request, from the to-flex outbox (one entry per request, so a double
 * submit is one entry): a customer without an open conversation gets a new session routed to
 * that agent (`initiated_by: agent`); one with an open conversation keeps it, and the agent
 * joins it (an invite routed to that worker) rather than opening a second. Then the agent's
 * first message is posted in their name and reaches the customer as any agent message does.
 * Every step is resumed, not repeated, on a retry: the session opener resumes a creation cut
 * short, the invite and the post are looked for before they are made again.
 */
export function createAgentStartHandler(deps: AgentStartHandlerDeps): OutboxHandler<InboundPayload> {
  const { channels, store, gateway, openSession, metrics } = deps;
  return async (item) => {
    const { channelType, customer, message, agentStart } = item.payload;
    const channel = channels.get(channelType);
    if (!channel) return permanent(`channel ${channelType} is no longer configured`);
    if (!agentStart) return permanent('not an agent start');
    try {
      const open = await store.findActiveSession(channelType, customer.id);
      const joining = open?.state === 'open' && open.resources.agentStartId !== agentStart.requestId;
      const session = joining ? open : await openSession(channel, customer, { agentStart });
      if (joining) await gateway.inviteAgent(session, channel, agentStart.workerSid);
      const alreadyPosted = item.attempts > 1 && (await gateway.wasPosted(session, message.externalId));
      if (!alreadyPosted) await gateway.postAgentMessage(session, { author: agentStart.author, text: message.text, externalId: message.externalId });
      metrics.outboundStarts.inc({ channel: channelType, outcome: joining ? 'joined' : 'opened' });
      return { kind: 'done' };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.kind === 'permanent') metrics.outboundStarts.inc({ channel: channelType, outcome: 'failed' });
      return failure;
    }
  };
}
