import { readWebhookConfiguration, updateWebhookConfiguration, webhookConfigurationParams } from '../channel-webhooks.js';
import type { Ctx } from '../context.js';
import { missingParam, TwilioApiError } from '../errors.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { newSid } from '../sids.js';
import type { Conversation, ScopedWebhook } from '../state.js';
import type { ParamDecls } from '../validate.js';
import { childRoutes } from '../resource-routes.js';
import { conversationPath, type ServiceScope } from './scope.js';
import { serializeScopedWebhook } from './serializers.js';

const MAX_SCOPED_WEBHOOKS = 5;
const WEBHOOK_BODY: ParamDecls = { ...webhookConfigurationParams('enum:get|post'), 'Configuration.ReplayAfter': 'int' };

function createScopedWebhook(b: Params, c: Conversation): ScopedWebhook {
  const target = b.get('Target')!.toLowerCase() as ScopedWebhook['target'];
  if (c.webhooks.size >= MAX_SCOPED_WEBHOOKS) {
    throw new TwilioApiError(400, 50366, `Too many webhooks: at most ${MAX_SCOPED_WEBHOOKS} per conversation`);
  }
  if (target === 'studio' && !b.has('Configuration.FlowSid')) throw missingParam('Configuration.FlowSid');
  if (target !== 'studio' && !b.has('Configuration.Url')) throw missingParam('Configuration.Url');
  if (target === 'trigger' && !b.has('Configuration.Triggers')) throw missingParam('Configuration.Triggers');
  const now = new Date();
  const w: ScopedWebhook = {
    sid: newSid('WH'),
    conversationSid: c.sid,
    target,
    ...readWebhookConfiguration(b),
    replayAfter: b.has('Configuration.ReplayAfter') ? b.int('Configuration.ReplayAfter')! : null,
    dateCreated: now,
    dateUpdated: now,
  };
  if (target === 'studio' && w.filters.length === 0) w.filters = ['onMessageAdded'];
  c.webhooks.set(w.sid, w);
  return w;
}

/** A conversation's `/Webhooks` routes: create, list, fetch, update, remove. */
export function registerScopedWebhookRoutes(route: RouteTable, ctx: Ctx, scope: ServiceScope): void {
  const webhooks = childRoutes(route, ctx, conversationPath(ctx, scope), 'Webhooks', {
    itemSid: 'WH',
    find: (c, sid) => c.webhooks.get(sid),
    serialize: (c, w) => serializeScopedWebhook(ctx, c, w),
  });
  webhooks.create({ Target: 'enum:webhook|trigger|studio!', ...WEBHOOK_BODY }, (req, c) => createScopedWebhook(req.body, c));
  webhooks.list({ key: 'webhooks', maxPageSize: MAX_SCOPED_WEBHOOKS, items: (_req, c) => [...c.webhooks.values()] });
  webhooks.fetch();
  webhooks.update(WEBHOOK_BODY, (req, _c, w) => {
    updateWebhookConfiguration(w, req.body);
    w.dateUpdated = new Date();
  });
  webhooks.remove((_req, c, w) => {
    c.webhooks.delete(w.sid);
  });
}
