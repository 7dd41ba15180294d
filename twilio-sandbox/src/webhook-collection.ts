import { updateWebhookConfiguration, type StoredWebhook } from './channel-webhooks.js';
import type { Ctx } from './context.js';
import type { Params } from './form.js';
import type { RouteTable } from './http.js';
import { childRoutes, type ParentPath } from './resource-routes.js';
import type { ParamDecls } from './validate.js';

/** How one product makes, changes and answers its webhooks (conversation-scoped webhooks). */
export interface WebhookCollection<Parent, Webhook> {
  /** Twilio's limit of webhooks per parent, also the largest page. */
  max: number;
  createBody: ParamDecls;
  updateBody: ParamDecls;
  create(body: Params, parent: Parent): Webhook;
  /** The product's own settings an update may change, beside the shared configuration. */
  updateSettings?(webhook: Webhook, body: Params): void;
  serialize(parent: Parent, webhook: Webhook): unknown;
}

/** A parent's `/Webhooks` routes: create, list, fetch, update, remove. */
export function registerWebhookCollection<Parent extends { webhooks: Map<string, Webhook> }, Webhook extends StoredWebhook>(
  route: RouteTable,
  ctx: Ctx,
  parent: ParentPath<Parent>,
  collection: WebhookCollection<Parent, Webhook>,
): void {
  const webhooks = childRoutes(route, ctx, parent, 'Webhooks', {
    itemSid: 'WH',
    find: (p, sid) => p.webhooks.get(sid),
    serialize: collection.serialize,
  });
  webhooks.create(collection.createBody, (req, p) => collection.create(req.body, p));
  webhooks.list({ key: 'webhooks', maxPageSize: collection.max, items: (_req, p) => [...p.webhooks.values()] });
  webhooks.fetch();
  webhooks.update(collection.updateBody, (req, _p, w) => {
    updateWebhookConfiguration(w, req.body);
    collection.updateSettings?.(w, req.body);
    w.dateUpdated = new Date();
  });
  webhooks.remove((_req, p, w) => {
    p.webhooks.delete(w.sid);
  });
}
