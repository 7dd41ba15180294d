import { iso, linksBelow, productUrl, type Ctx } from '../context.js';
import { invalidParam, TwilioApiError } from '../errors.js';
import { assignText } from '../fields.js';
import type { Params } from '../form.js';
import type { RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { StudioFlow } from '../state.js';
import { flowDefinitionProblems } from './definition-check.js';

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

/** Studio's answer to a definition its schema refuses (error 81022, with the problems found). */
function definitionRefused(problems: string[]): TwilioApiError {
  const shown = problems.slice(0, 5).join('; ');
  return new TwilioApiError(400, 81022, `Flow definition validation failed: ${shown}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
}

/** A flow definition, checked as Studio checks it on create, update and validate. */
function readDefinition(b: Params): Record<string, unknown> {
  const raw = b.get('Definition')!;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParam('Definition', 'must be valid JSON');
  }
  const problems = flowDefinitionProblems(parsed);
  if (problems.length > 0) throw definitionRefused(problems);
  return parsed as Record<string, unknown>;
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

/** Studio v2 Flows (create/list/fetch/update/delete) and Flow Validate. */
export function registerStudioRoutes(route: RouteTable, ctx: Ctx): void {
  route(P, {
    method: 'POST',
    path: '/v2/Flows/Validate',
    body: { FriendlyName: 'str!', Status: 'enum:draft|published!', Definition: 'str!', CommitMessage: 'str' },
    handler: (req) => {
      readDefinition(req.body);
      return { status: 200, body: { valid: true } };
    },
  });
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
