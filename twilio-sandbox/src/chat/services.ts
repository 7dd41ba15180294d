import type { Ctx } from '../context.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import { noWebhooks, type ChatService } from '../state.js';
import type { ParamDecls } from '../validate.js';
import { P } from './scope.js';
import { serializeChatService } from './serializers.js';

const SERVICE_UPDATE_BODY: ParamDecls = {
  FriendlyName: 'str',
  PreWebhookUrl: 'uri',
  PostWebhookUrl: 'uri',
  WebhookMethod: 'enum:GET|POST',
  WebhookFilters: 'list',
};

/** A service update, including its post-event webhook settings. */
function updateChatService(b: Params, s: ChatService): void {
  const hooks = s.webhooks;
  if (b.has('FriendlyName')) s.friendlyName = b.get('FriendlyName')!;
  if (b.has('PreWebhookUrl')) hooks.preWebhookUrl = b.get('PreWebhookUrl') || null;
  if (b.has('PostWebhookUrl')) hooks.postWebhookUrl = b.get('PostWebhookUrl') || null;
  if (b.has('WebhookMethod')) hooks.method = b.get('WebhookMethod')!.toUpperCase() as 'GET' | 'POST';
  if (b.has('WebhookFilters')) hooks.filters = b.getAll('WebhookFilters');
  s.dateUpdated = new Date();
}

export function registerChatServiceRoutes(route: RouteTable, ctx: Ctx): void {
  const collection = topLevelCollection(P, '/v2/Services', 'IS', ctx.store.chatServices, (s) => serializeChatService(ctx, s));
  const services = resourceRoutes(route, ctx, collection);
  services.create({ FriendlyName: 'str!' }, (req, all) => {
    const now = new Date();
    const friendlyName = req.body.get('FriendlyName')!;
    const s: ChatService = {
      sid: newSid('IS'),
      friendlyName,
      dateCreated: now,
      dateUpdated: now,
      users: new Map(),
      webhooks: noWebhooks(),
    };
    all.set(s.sid, s);
    return s;
  });
  services.list({ key: 'services', maxPageSize: 100, items: (_req, all) => [...all.values()] });
  services.fetch();
  services.update(SERVICE_UPDATE_BODY, (req, _all, s) => updateChatService(req.body, s));
}
