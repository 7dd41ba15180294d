import { iso, productUrl, type Ctx } from './context.js';
import { invalidParam } from './errors.js';
import type { Params } from './form.js';
import { found, type ApiRequest, type RouteTable } from './http.js';
import { listPage, PAGE } from './paging.js';
import { newSid } from './sids.js';
import type { StudioFlow } from './state.js';

const P = 'studio';

function serializeFlow(ctx: Ctx, f: StudioFlow) {
  const url = productUrl(ctx, P, `/v2/Flows/${f.sid}`);
  return {
    sid: f.sid,
    account_sid: ctx.accountSid,
    author_sid: null,
    friendly_name: f.friendlyName,
    definition: f.definition,
    status: f.status,
    revision: f.revision,
    commit_message: f.commitMessage,
    valid: true,
    errors: [],
    warnings: [],
    date_created: iso(f.dateCreated),
    date_updated: iso(f.dateUpdated),
    webhook_url: productUrl(ctx, 'webhooks', `/v1/Accounts/${ctx.accountSid}/Flows/${f.sid}`),
    url,
    links: {
      test_users: `${url}/TestUsers`,
      revisions: `${url}/Revisions`,
      executions: `${url}/Executions`,
    },
  };
}

/** A flow definition: JSON with `states` (an array) and `initial_state`, as Studio validates. */
function readDefinition(b: Params): Record<string, unknown> {
  const raw = b.get('Definition')!;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParam('Definition', 'must be valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParam('Definition', 'must be a JSON object');
  const def = parsed as Record<string, unknown>;
  if (!Array.isArray(def.states)) throw invalidParam('Definition', "'states' must be an array");
  if (typeof def.initial_state !== 'string') throw invalidParam('Definition', "'initial_state' is required");
  return def;
}

export function registerStudioRoutes(route: RouteTable, ctx: Ctx): void {
  const store = ctx.store;
  const flow = (req: ApiRequest): StudioFlow => found(req, store.flows.get(req.params.Sid!));
  route(P, {
    method: 'POST',
    path: '/v2/Flows',
    body: { FriendlyName: 'str!', Status: 'enum:draft|published!', Definition: 'str!', CommitMessage: 'str' },
    handler: (req) => {
      const b = req.body;
      const now = new Date();
      const f: StudioFlow = {
        sid: newSid('FW'),
        friendlyName: b.get('FriendlyName')!,
        definition: readDefinition(b),
        status: b.get('Status')!.toLowerCase() as StudioFlow['status'],
        revision: 1,
        commitMessage: b.get('CommitMessage') ?? null,
        dateCreated: now,
        dateUpdated: now,
      };
      store.flows.set(f.sid, f);
      return { status: 201, body: serializeFlow(ctx, f) };
    },
  });
  route(P, {
    method: 'GET',
    path: '/v2/Flows',
    query: PAGE,
    handler: (req) =>
      listPage(req, [...store.flows.values()], { key: 'flows', url: productUrl(ctx, P, '/v2/Flows') }, (f) => serializeFlow(ctx, f)),
  });
  route(P, {
    method: 'GET',
    path: '/v2/Flows/:Sid',
    sids: { Sid: 'FW' },
    handler: (req) => ({ status: 200, body: serializeFlow(ctx, flow(req)) }),
  });
  route(P, {
    method: 'POST',
    path: '/v2/Flows/:Sid',
    sids: { Sid: 'FW' },
    body: { Status: 'enum:draft|published!', FriendlyName: 'str', Definition: 'str', CommitMessage: 'str' },
    handler: (req) => {
      const f = flow(req);
      const b = req.body;
      if (b.has('Definition')) f.definition = readDefinition(b);
      if (b.has('FriendlyName')) f.friendlyName = b.get('FriendlyName')!;
      if (b.has('CommitMessage')) f.commitMessage = b.get('CommitMessage')!;
      f.status = b.get('Status')!.toLowerCase() as StudioFlow['status'];
      f.revision += 1;
      f.dateUpdated = new Date();
      return { status: 200, body: serializeFlow(ctx, f) };
    },
  });
  route(P, {
    method: 'DELETE',
    path: '/v2/Flows/:Sid',
    sids: { Sid: 'FW' },
    handler: (req) => {
      store.flows.delete(flow(req).sid);
      return { status: 204 };
    },
  });
}
