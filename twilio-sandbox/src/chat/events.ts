import { webhookFires } from '../channel-webhooks.js';
import { iso, type Ctx } from '../context.js';
import type { EventOrigin } from '../event-origin.js';
import { jsonAttributes } from '../json.js';
import { createTask } from '../routing.js';
import { chatMediaParams } from '../media/attach.js';
import type { ChatChannel, ChatMessage } from '../state.js';

/**
 * Fires a Chat event. Channel `webhook`/`trigger` webhooks fire for every source; a
 * channel `studio` webhook and the Flex Flow integration start on the first message, and a
 * REST-created message starts them only with `X-Twilio-Webhook-Enabled: true`; the service's
 * post-event webhook fires for REST actions only with that header.
 */
export function fireChatEvent(ctx: Ctx, ch: ChatChannel, eventType: string, extra: Record<string, string>, origin: EventOrigin, message?: ChatMessage): void {
  const base: Record<string, string> = {
    AccountSid: ctx.accountSid,
    InstanceSid: ch.serviceSid,
    ChannelSid: ch.sid,
    EventType: eventType,
    Source: origin.source,
    ...(origin.clientIdentity ? { ClientIdentity: origin.clientIdentity } : {}),
    ...extra,
  };
  const hooksAllowed = origin.source !== 'API' || origin.webhookEnabled;
  for (const w of ch.webhooks.values()) {
    if (w.type === 'studio') {
      if (eventType !== 'onMessageSent' || !message || w.executed || !w.flowSid || !hooksAllowed) continue;
      if (!isCustomerMessage(ctx, ch, message)) continue;
      w.executed = true;
      const flowSid = w.flowSid;
      ctx.scheduler.run(async () =>
        ctx.studio.runForChatChannel(ctx, flowSid, ch, base, (taskSid) => {
          const fc = ctx.store.flexChannels.get(ch.sid);
          if (fc) {
            fc.taskSid = taskSid;
            fc.routed = true;
          }
        }),
      );
      continue;
    }
    if (!webhookFires(w, w.type, { type: eventType, messageAdded: eventType === 'onMessageSent', body: message?.body })) continue;
    ctx.webhooks.send({
      url: w.url,
      method: w.method,
      params: { ...base, WebhookSid: w.sid, WebhookType: w.type },
      ...(w.retryCount !== null ? { retries: w.retryCount } : {}),
    });
  }
  if (eventType === 'onMessageSent' && message && hooksAllowed) routeFlexChannel(ctx, ch, message);
  if (!hooksAllowed) return;
  const service = ctx.store.chatServices.get(ch.serviceSid);
  const sh = service?.webhooks;
  if (sh?.postWebhookUrl && sh.filters.includes(eventType)) ctx.webhooks.send({ url: sh.postWebhookUrl, method: sh.method, params: base });
}

function isCustomerMessage(ctx: Ctx, ch: ChatChannel, m: ChatMessage): boolean {
  const fc = ctx.store.flexChannels.get(ch.sid);
  return !fc || fc.identity === m.from;
}

/** Flex Flow `task` integration: the first customer message creates the task. */
function routeFlexChannel(ctx: Ctx, ch: ChatChannel, m: ChatMessage): void {
  const fc = ctx.store.flexChannels.get(ch.sid);
  if (!fc || fc.routed || fc.identity !== m.from) return;
  const flow = ctx.store.flexFlows.get(fc.flexFlowSid);
  if (!flow || flow.integrationType !== 'task') return;
  fc.routed = true;
  const ws = ctx.store.workspaces.get(flow.integration.workspaceSid ?? '');
  if (!ws) {
    ctx.log('flex flow: workspace not found', { flexFlowSid: flow.sid });
    return;
  }
  const channelAttributes = jsonAttributes(ch.attributes);
  const attributes = {
    name: channelAttributes.from ?? fc.identity,
    channelType: flow.channelType,
    ...jsonAttributes(fc.taskAttributes ?? '{}'),
    channelSid: ch.sid,
  };
  ctx.scheduler.run(async () => {
    const task = createTask(ctx, ws, {
      workflowSid: flow.integration.workflowSid,
      taskChannel: flow.integration.channel ?? 'chat',
      attributes: JSON.stringify(attributes),
      priority: flow.integration.priority,
      timeout: flow.integration.timeout,
    });
    fc.taskSid = task.sid;
  });
}

export function chatMessageParams(m: ChatMessage): Record<string, string> {
  return {
    MessageSid: m.sid,
    Index: String(m.index),
    From: m.from,
    Body: m.body,
    Attributes: m.attributes,
    DateCreated: iso(m.dateCreated)!,
    ...(m.media ? chatMediaParams(m.media) : {}),
  };
}

export function channelParams(ch: ChatChannel): Record<string, string> {
  return {
    ...(ch.uniqueName ? { UniqueName: ch.uniqueName } : {}),
    FriendlyName: ch.friendlyName ?? '',
    Attributes: ch.attributes,
    ChannelType: ch.type,
    CreatedBy: ch.createdBy,
    DateCreated: iso(ch.dateCreated)!,
    DateUpdated: iso(ch.dateUpdated)!,
  };
}
