import type { ChannelRuntime } from '../config/channels.js';
import type { AgentMessage } from '../delivery/too-long-notice.js';
import type { ContentTemplates } from '../flex/content-templates.js';
import type { FlexGateway, SystemNotice } from '../flex/flex-gateway.js';
import { postNoticeOnce } from '../flex/post-notice-once.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { richContentOf, richFallbackText } from './rich-content.js';

export interface ContentDeliveryDeps {
  templates: Pick<ContentTemplates, 'get'>;
  store: Store;
  gateway: FlexGateway;
  logger: Logger;
}

/**
 * Fills an agent's or bot's message posted with a Content template: `rich` for the channels
 * that render it, and the text every channel falls back to. A template Twilio does not have
 * (never created, or deleted since) or that holds no type the kit renders is not delivered:
 * the agent is told in the conversation, once, and undefined is answered. Twilio's errors are
 * thrown, for the outbox to retry.
 */
export function createContentDelivery(deps: ContentDeliveryDeps) {
  return async (channel: ChannelRuntime, message: AgentMessage): Promise<AgentMessage | undefined> => {
    if (!message.content) return message;
    const template = await deps.templates.get(message.content.sid);
    const rich = template && richContentOf(template.types, template.variables, message.content.variables);
    if (rich) {
      // A body sent along with the template (some callers do) stays the text; else the template's own.
      return { ...message, rich, text: message.text.trim() ? message.text : richFallbackText(rich) };
    }
    const session = await deps.store.findSessionByConversationSid(message.conversationSid);
    if (session) await postNoticeOnce(deps.gateway, session, contentNotice(channel, message.id, template === undefined));
    deps.logger.warn({ channel: channel.channelType, messageSid: message.id, known: template !== undefined }, 'content template not delivered; agent told');
    return undefined;
  };
}

export function contentNotice(channel: ChannelRuntime, messageSid: string, missing: boolean): SystemNotice {
  return {
    id: `content:${messageSid}`,
    kind: 'content_not_found',
    text: missing
      ? `Not delivered to ${channel.displayName}: the rich message's template does not exist (it may have been deleted). Choose another template or type the message.`
      : `Not delivered to ${channel.displayName}: the rich message's template has no type this channel can show. Choose another template or type the message.`,
  };
}

export type ContentDelivery = ReturnType<typeof createContentDelivery>;
