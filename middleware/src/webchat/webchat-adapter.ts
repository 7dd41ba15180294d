import type { ChannelAdapter, DeliveryResult } from '../delivery/channel-adapter.js';
import type { ChannelEvent } from '../delivery/channel-events.js';
import { safeErrorMessage } from '@custom-channels/logging';
import type { VisitorEvent } from './protocol.js';
import type { LoggedEvent } from './visitor-connections.js';
import { VISITOR_ID_PATTERN } from './visitor-token.js';
import type { WebchatLog } from './webchat-log.js';

export interface WebchatAdapterDeps {
  log: WebchatLog;
  /** Pushes a logged entry to the visitor's open sockets (see Webchat.publish). */
  publish: (channelType: string, visitorId: string, entry: LoggedEvent) => void;
  now?: () => number;
}

/**
 * The `webchat` adapter: writes the agent's message (or the end of the chat) to the
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
      if (!VISITOR_ID_PATTERN.test(visitorId)) return { ok: false, retryable: false, reason: 'the recipient is not a web chat visitor id' };
      const [key, visitorEvent] = toVisitorEvent(event, now());
      let entry;
      try {
        entry = await deps.log.append(channel.channelType, visitorId, key, visitorEvent);
      } catch (error) {
        return { ok: false, retryable: true, reason: `the web chat log refused the event: ${safeErrorMessage(error)}` };
      }
      // Sockets drop what they already sent, so publishing a redelivery again is harmless.
      deps.publish(channel.channelType, visitorId, entry);
      return { ok: true };
    },
  };
}

function toVisitorEvent(event: ChannelEvent, at: number): [string, VisitorEvent] {
  // The agent's Flex identity (often an e-mail address) is not shown to the public.
  if (event.type === 'message') {
    return [`agent:${event.id}`, { kind: 'agent-message', id: event.id, text: event.text, at, ...(event.media ? { media: event.media } : {}) }];
  }
  return [`ended:${event.id}`, { kind: 'ended', id: event.id, at }];
}
