import type { TwilioClient } from '../twilio/client.js';
import { unlessNotFound } from './twilio-errors.js';
import { setBounded } from '../shared/bounded-map.js';

/** A Content API template as the middleware reads it. */
export interface ContentTemplate {
  sid: string;
  friendlyName: string;
  language: string;
  /** The variables' default values. */
  variables: Record<string, string>;
  /** Keyed by content type: `twilio/quick-reply`, `twilio/card`, ... */
  types: Record<string, unknown>;
}

export interface ContentTemplatesOptions {
  client: TwilioClient;
  /** How long a fetched template is used before it is asked for again (a deleted template stops working after at most this). */
  ttlMs: number;
  /** Templates kept at most; the oldest is dropped first. */
  maxEntries?: number;
  now?: () => number;
}

export interface ContentTemplates {
  /** The template, or undefined when Twilio has none with this SID (never created, or deleted). */
  get(sid: string): Promise<ContentTemplate | undefined>;
  /** Every template of the account (for the agent's picker). */
  list(): Promise<ContentTemplate[]>;
}

/** Templates are never changed in place, only deleted: five minutes bounds how long a deleted one still goes out. */
export const DEFAULT_CONTENT_CACHE_SECONDS = 300;

const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;

/**
 * The Content API, read through a cache: the API has no update (a template is created and
 * deleted, never changed), so a cached template is only ever stale by having been deleted,
 * which the TTL bounds. A missing template is not cached: one created a moment later works at once.
 */
export function createContentTemplates({ client, ttlMs, maxEntries = 1000, now = Date.now }: ContentTemplatesOptions): ContentTemplates {
  const cache = new Map<string, { template: ContentTemplate; until: number }>();
  const remember = (template: ContentTemplate) => {
    cache.delete(template.sid);
    setBounded(cache, template.sid, { template, until: now() + ttlMs }, maxEntries);
    return template;
  };
  return {
    async get(sid) {
      if (!CONTENT_SID.test(sid)) return undefined;
      const cached = cache.get(sid);
      if (cached && cached.until > now()) return cached.template;
      cache.delete(sid);
      const fetched = await unlessNotFound(() => client.content.v1.contents(sid).fetch());
      return fetched ? remember(templateOf(fetched)) : undefined;
    },
    async list() {
      const all = await client.content.v1.contents.list({ limit: maxEntries });
      return all.map((t) => remember(templateOf(t)));
    },
  };
}

function templateOf(t: { sid: string; friendlyName: string; language: string; variables: unknown; types: unknown }): ContentTemplate {
  const variables = typeof t.variables === 'object' && t.variables !== null ? (t.variables as Record<string, unknown>) : {};
  return {
    sid: t.sid,
    friendlyName: t.friendlyName ?? '',
    language: t.language ?? '',
    variables: Object.fromEntries(Object.entries(variables).filter((e): e is [string, string] => typeof e[1] === 'string')),
    types: typeof t.types === 'object' && t.types !== null ? (t.types as Record<string, unknown>) : {},
  };
}
