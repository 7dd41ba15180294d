import { invalidParam } from './errors.js';
import type { Params } from './form.js';
import type { ApiRequest, ApiResult } from './http.js';
import type { ParamDecls } from './validate.js';

/** The `Order` filter of message lists. */
export const ORDER: ParamDecls = { Order: 'enum:asc|desc' };

/** The items in the order the query's `Order` asks for: `asc` (as stored, the default) or `desc`. */
export function inOrder<T>(query: Params, items: readonly T[]): readonly T[] {
  return query.get('Order')?.toLowerCase() === 'desc' ? [...items].reverse() : items;
}

/** The paging parameters every list route accepts. */
export const PAGE: ParamDecls = { PageSize: 'int', Page: 'int', PageToken: 'str' };

export interface PageMeta {
  page: number;
  page_size: number;
  first_page_url: string;
  previous_page_url: string | null;
  url: string;
  next_page_url: string | null;
  key: string;
}

export interface PageOptions {
  /** The list's key in the response body, e.g. `conversations`. */
  key: string;
  /** Absolute URL of the list, without query. */
  url: string;
  /** The largest page size the operation's spec declares; a larger request is refused, as the spec allows no more. */
  maxPageSize?: number;
}

const PAGING = new Set(['PageSize', 'Page', 'PageToken']);

/**
 * Twilio's paging (the v1/v2 APIs): `PageSize` (default 50), `Page` (an index kept for the
 * client) and an opaque `PageToken`; `meta` carries absolute page URLs, which the
 * `twilio` library follows as they are.
 */
export function paginate<T>(items: readonly T[], query: Params, opts: PageOptions): { items: T[]; meta: PageMeta } {
  const max = opts.maxPageSize ?? 1000;
  const requested = query.get('PageSize');
  let pageSize = 50;
  if (requested !== undefined) {
    const n = Number(requested);
    if (!Number.isInteger(n) || n < 1 || n > max) throw invalidParam('PageSize', `must be an integer from 1 to ${max}`);
    pageSize = n;
  }
  const pageRaw = query.get('Page');
  const page = pageRaw !== undefined && /^\d+$/.test(pageRaw) ? Number(pageRaw) : 0;
  const token = query.get('PageToken');
  let offset: number;
  if (token !== undefined) {
    const m = /^P[AB](\d+)$/.exec(token);
    if (!m) throw invalidParam('PageToken', 'invalid page token');
    offset = Number(m[1]);
  } else {
    offset = page * pageSize;
  }

  const filters = new URLSearchParams();
  for (const name of query.names()) {
    if (PAGING.has(name)) continue;
    for (const v of query.getAll(name)) filters.append(name, v);
  }
  const pageUrl = (p: number, tok?: string): string => {
    const q = new URLSearchParams(filters);
    q.set('PageSize', String(pageSize));
    q.set('Page', String(p));
    if (tok) q.set('PageToken', tok);
    return `${opts.url}?${q.toString()}`;
  };

  const slice = items.slice(offset, offset + pageSize);
  const hasNext = offset + pageSize < items.length;
  const hasPrev = offset > 0;
  return {
    items: slice,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: pageUrl(0),
      previous_page_url: hasPrev ? pageUrl(Math.max(page - 1, 0), `PB${Math.max(offset - pageSize, 0)}`) : null,
      url: pageUrl(page, token),
      next_page_url: hasNext ? pageUrl(page + 1, `PA${offset + pageSize}`) : null,
      key: opts.key,
    },
  };
}

/** A list route's answer: one page of `all`, serialized, under the list's key, with `meta`. */
export function listPage<T>(req: ApiRequest, all: readonly T[], opts: PageOptions, serialize: (item: T) => unknown): ApiResult {
  const { items, meta } = paginate(all, req.query, opts);
  return { status: 200, body: { [opts.key]: items.map(serialize), meta } };
}
