import { iso, linksBelow, productUrl, type Ctx } from '../context.js';
import { invalidParam, missingParam } from '../errors.js';
import type { RouteTable } from '../http.js';
import { resourceRoutes, topLevelCollection } from '../resource-routes.js';
import { newSid } from '../sids.js';
import type { ContentTemplate } from '../state.js';

const P = 'content';

/**
 * The content types the stand-in checks, each with the fields Twilio's spec requires of it.
 * Other types Twilio knows (catalog, carousel, WhatsApp's own) are kept as given.
 */
const REQUIRED_FIELDS: Record<string, readonly string[]> = {
  'twilio/text': ['body'],
  'twilio/media': ['media'],
  'twilio/location': ['latitude', 'longitude'],
  'twilio/list-picker': ['body', 'button', 'items'],
  'twilio/call-to-action': ['body', 'actions'],
  'twilio/quick-reply': ['body', 'actions'],
  'twilio/card': ['title'],
};

function serializeContent(ctx: Ctx, t: ContentTemplate) {
  const url = productUrl(ctx, P, `/v1/Content/${t.sid}`);
  return {
    sid: t.sid,
    account_sid: ctx.accountSid,
    friendly_name: t.friendlyName,
    language: t.language,
    variables: t.variables,
    types: t.types,
    url,
    date_created: iso(t.dateCreated),
    date_updated: iso(t.dateUpdated),
    links: linksBelow(url, { approval_create: 'ApprovalRequests/whatsapp', approval_fetch: 'ApprovalRequests' }),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A create request's JSON body, checked as the Content API checks it. */
function readTemplate(json: Record<string, unknown>): ContentTemplate {
  if (json.language === undefined) throw missingParam('language');
  if (typeof json.language !== 'string' || json.language === '') throw invalidParam('language', 'must be a language code');
  if (json.types === undefined) throw missingParam('types');
  if (!isObject(json.types) || Object.keys(json.types).length === 0) throw invalidParam('types', 'must name at least one content type');
  for (const [type, fields] of Object.entries(json.types)) {
    if (!isObject(fields)) throw invalidParam(`types.${type}`, 'must be an object');
    const missing = (REQUIRED_FIELDS[type] ?? []).find((field) => fields[field] === undefined);
    if (missing) throw invalidParam(`types.${type}.${missing}`, 'is required');
  }
  const variables = json.variables ?? {};
  if (!isObject(variables) || Object.values(variables).some((v) => typeof v !== 'string')) {
    throw invalidParam('variables', 'must map variable names to strings');
  }
  if (json.friendly_name !== undefined && typeof json.friendly_name !== 'string') throw invalidParam('friendly_name', 'must be a string');
  const now = new Date();
  return {
    sid: newSid('HX'),
    friendlyName: json.friendly_name ?? '',
    language: json.language,
    variables: variables as Record<string, string>,
    types: json.types,
    dateCreated: now,
    dateUpdated: now,
  };
}

/** The text a template shows where only text goes: its `twilio/text` body, else the body of another type. */
export function contentText(t: ContentTemplate): string | undefined {
  const bodyOf = (fields: unknown) => (isObject(fields) && typeof fields.body === 'string' ? fields.body : undefined);
  return (
    bodyOf(t.types['twilio/text']) ??
    Object.values(t.types)
      .map(bodyOf)
      .find((body) => body !== undefined)
  );
}

/** Content API v1: templates (create/list/fetch/delete). Approvals for WhatsApp are not served. */
export function registerContentRoutes(route: RouteTable, ctx: Ctx): void {
  const collection = topLevelCollection(P, '/v1/Content', 'HX', ctx.store.contents, (t) => serializeContent(ctx, t));
  const contents = resourceRoutes(route, ctx, collection);
  contents.create({}, (req, all) => {
    const t = readTemplate(req.json);
    all.set(t.sid, t);
    return t;
  });
  contents.list({ key: 'contents', maxPageSize: 1000, items: (_req, all) => [...all.values()] });
  contents.fetch();
  contents.remove((_req, all, t) => all.delete(t.sid));
}
