import { readWebhookConfiguration, webhookConfigurationParams } from '../channel-webhooks.js';
import type { Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { newSid } from '../sids.js';
import type { ChatChannel, ChatWebhook } from '../state.js';
import type { ParamDecls } from '../validate.js';
import { registerWebhookCollection } from '../webhook-collection.js';
import { channelPath } from './scope.js';
import { serializeChatWebhook } from './serializers.js';

const MAX_CHANNEL_WEBHOOKS = 5;
const WEBHOOK_BODY: ParamDecls = { ...webhookConfigurationParams('enum:GET|POST'), 'Configuration.RetryCount': 'int' };

function createChannelWebhook(b: Params, ch: ChatChannel): ChatWebhook {
  const type = b.get('Type')!.toLowerCase() as ChatWebhook['type'];
  if (ch.webhooks.size >= MAX_CHANNEL_WEBHOOKS) throw invalidParam('Type', `at most ${MAX_CHANNEL_WEBHOOKS} webhooks per channel`);
  if (type === 'studio' && !b.has('Configuration.FlowSid')) throw invalidParam('Configuration.FlowSid', 'required for studio webhooks');
  if (type !== 'studio' && !b.has('Configuration.Url')) throw invalidParam('Configuration.Url', `required for ${type} webhooks`);
  const now = new Date();
  const w: ChatWebhook = {
    sid: newSid('WH'),
    serviceSid: ch.serviceSid,
    channelSid: ch.sid,
    type,
    ...readWebhookConfiguration(b),
    retryCount: b.has('Configuration.RetryCount') ? b.int('Configuration.RetryCount')! : null,
    dateCreated: now,
    dateUpdated: now,
  };
  ch.webhooks.set(w.sid, w);
  return w;
}

export function registerChannelWebhookRoutes(route: RouteTable, ctx: Ctx): void {
  registerWebhookCollection(route, ctx, channelPath(ctx), {
    max: MAX_CHANNEL_WEBHOOKS,
    createBody: { Type: 'enum:webhook|trigger|studio!', ...WEBHOOK_BODY },
    updateBody: WEBHOOK_BODY,
    create: createChannelWebhook,
    updateSettings: (w, b) => {
      if (b.has('Configuration.RetryCount')) w.retryCount = b.int('Configuration.RetryCount')!;
    },
    serialize: (ch, w) => serializeChatWebhook(ctx, ch, w),
  });
}
