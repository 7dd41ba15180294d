import { iso, linksBelow, productUrl, type Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { StudioFlow } from '../state.js';

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
    links: linksBelow(url, { test_users: 'TestUsers', revisions: 'Revisions', executions: 'Executions' }),
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

function createFlow(b: Params): StudioFlow {
  const now = new Date();
  return {
    sid: newSid('FW'),
    friendlyName: b.get('FriendlyName')!,
    definition: readDefinition(b),
    status: b.get('Status')!.toLowerCase() as StudioFlow['status'],
    revision: 1,
    commitMessage: b.get('CommitMessage') ?? null,
    dateCreated: now,
    dateUpdated: now,
  };
}

/** Every update is a new revision; `Status` is required on each. */
function updateFlow(b: Params, f: StudioFlow): void {
  if (b.has('Definition')) f.definition = readDefinition(b);
  assignText(b, f, { FriendlyName: 'friendlyName', CommitMessage: 'commitMessage' });
  f.status = b.get('Status')!.toLowerCase() as StudioFlow['status'];
  f.revision += 1;
  f.dateUpdated = new Date();
}

/** Studio v2 Flows (create/list/fetch/update/delete). */
export function registerStudioRoutes(route: RouteTable, ctx: Ctx): void {
  const collection = topLevelCollection(P, '/v2/Flows', 'FW', ctx.store.flows, (f) => serializeFlow(ctx, f));
  const flows = resourceRoutes(route, ctx, collection);
  flows.create({ FriendlyName: 'str!', Status: 'enum:draft|published!', Definition: 'str!', CommitMessage: 'str' }, (req, all) => {
    const f = createFlow(req.body);
    all.set(f.sid, f);
    return f;
  });
  flows.list({ key: 'flows', items: (_req, all) => [...all.values()] });
  flows.fetch();
  flows.update({ Status: 'enum:draft|published!', FriendlyName: 'str', Definition: 'str', CommitMessage: 'str' }, (req, _all, f) => updateFlow(req.body, f));
  flows.remove((_req, all, f) => {
    all.delete(f.sid);
  });
}
