import { iso, linksBelow, productUrl, type Ctx } from '../context.js';
import type { RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import { noWebhooks, type ConvService } from '../state.js';
import { updateWebhookConfig, WEBHOOK_CONFIG_BODY } from './configuration.js';
import { namedService, P } from './scope.js';

function serializeService(ctx: Ctx, s: ConvService) {
  const url = productUrl(ctx, P, `/v1/Services/${s.sid}`);
  return {
    account_sid: ctx.accountSid,
    sid: s.sid,
    friendly_name: s.friendlyName,
    date_created: iso(s.dateCreated),
    date_updated: iso(s.dateUpdated),
    url,
    links: linksBelow(url, {
      conversations: 'Conversations',
      users: 'Users',
      roles: 'Roles',
      bindings: 'Bindings',
      configuration: 'Configuration',
      participant_conversations: 'ParticipantConversations',
    }),
  };
}

function serializeServiceWebhooks(ctx: Ctx, s: ConvService) {
  const w = s.webhooks;
  return {
    account_sid: ctx.accountSid,
    chat_service_sid: s.sid,
    pre_webhook_url: w.preWebhookUrl,
    post_webhook_url: w.postWebhookUrl,
    filters: w.filters,
    method: w.method,
    url: productUrl(ctx, P, `/v1/Services/${s.sid}/Configuration/Webhooks`),
  };
}

/** Conversations services (the default Flex service is seeded; more can be created) and their webhooks. */
export function registerServiceRoutes(route: RouteTable, ctx: Ctx): void {
  const store = ctx.store;
  const collection = topLevelCollection(P, '/v1/Services', 'IS', store.convServices, (s) => serializeService(ctx, s));
  const services = resourceRoutes(route, ctx, collection);
  services.create({ FriendlyName: 'str!' }, (req, all) => {
    const now = new Date();
    const friendlyName = req.body.get('FriendlyName')!;
    const s: ConvService = {
      sid: newSid('IS'),
      friendlyName,
      dateCreated: now,
      dateUpdated: now,
      webhooks: noWebhooks(),
    };
    all.set(s.sid, s);
    return s;
  });
  services.list({ key: 'services', maxPageSize: 100, items: (_req, all) => [...all.values()] });
  services.fetch();

  const path = '/v1/Services/:ChatServiceSid/Configuration/Webhooks';
  const serviceWebhooks = (sid: string) => ({
    status: 200,
    body: serializeServiceWebhooks(ctx, store.convServices.get(sid)!),
  });
  route(P, {
    method: 'GET',
    path,
    sids: { ChatServiceSid: 'IS' },
    handler: (req) => serviceWebhooks(namedService(ctx, req)),
  });
  route(P, {
    method: 'POST',
    path,
    sids: { ChatServiceSid: 'IS' },
    body: { ...WEBHOOK_CONFIG_BODY, PreWebhookUrl: 'uri', PostWebhookUrl: 'uri' },
    handler: (req) => {
      const sid = namedService(ctx, req);
      updateWebhookConfig(store.convServices.get(sid)!.webhooks, req.body);
      return serviceWebhooks(sid);
    },
  });
}
