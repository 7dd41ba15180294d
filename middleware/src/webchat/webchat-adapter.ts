import type { ChannelAdapter, DeliveryResult } from '../delivery/channel-adapter.js';
import type { Transcripts } from '../store/transcripts.js';
import type { AgentChangedEvent, ChannelEvent } from '../delivery/channel-events.js';
import { safeErrorMessage } from '@custom-channels/logging';
import { permanent, transient } from '../outbox/failure.js';
import type { VisitorEvent } from './protocol.js';
import type { LoggedEvent } from './visitor-connections.js';
import { VISITOR_ID_PATTERN } from './visitor-token.js';

export interface WebchatAdapterDeps {
  log: Transcripts;
  /** Pushes a logged entry to the visitor's open sockets (see Webchat.publish). */
  publish: (channelType: string, visitorId: string, entry: LoggedEvent) => void;
  now?: () => number;
}

/**
 * The `webchat` adapter: writes the agent's message (the end of the chat, a read receipt) to the
 * visitor's transcript, then pushes it to the visitor's open sockets. Delivered means
 * logged: a visitor who is offline gets it when they reconnect. A redelivered event (same
 * Twilio message SID) is logged and pushed once.
 */
export function createWebchatAdapter(deps: WebchatAdapterDeps): ChannelAdapter {
  const now = deps.now ?? Date.now;
  return {
    kind: 'webchat',
    async deliver(channel, event): Promise<DeliveryResult> {
      const visitorId = event.to.id;
      if (!VISITOR_ID_PATTERN.test(visitorId)) return permanent('the recipient is not a web chat visitor id');
      // The visitor is never shown who the agent is, so a new agent is nothing to show.
      if (event.type === 'agent_changed') return { ok: true };
      const [key, visitorEvent] = toVisitorEvent(event, visitorId, now());
      let entry;
      try {
        entry = await deps.log.append(channel.channelType, visitorId, key, visitorEvent);
      } catch (error) {
        return transient(`the web chat log refused the event: ${safeErrorMessage(error)}`);
      }
      // Sockets drop what they already sent, so publishing a redelivery again is harmless.
      deps.publish(channel.channelType, visitorId, entry);
      return { ok: true };
    },
  };
}

function toVisitorEvent(event: Exclude<ChannelEvent, AgentChangedEvent>, visitorId: string, at: number): [string, VisitorEvent] {
  // The agent's Flex identity (often an e-mail address) is not shown to the public.
  if (event.type === 'message') {
    return [
      `agent:${event.id}`,
      {
        kind: 'agent-message',
        id: event.id,
        text: event.text,
        at,
        ...(event.media ? { media: event.media } : {}),
        ...(event.rich ? { rich: event.rich } : {}),
      },
    ];
  }
  // The visitor's messages reach Flex as `<visitor id>.<message id>`; the browser knows the message id.
  if (event.type === 'read')
    return [
      `read:${event.id}`,
      { kind: 'read', id: event.id, upTo: event.upTo.startsWith(`${visitorId}.`) ? event.upTo.slice(visitorId.length + 1) : event.upTo, at },
    ];
  return [`ended:${event.id}`, { kind: 'ended', id: event.id, at }];
}
