import type { Ctx } from '../context.js';
import type { ApiRequest, RouteTable } from '../http.js';
import { childRoutes } from '../resource-routes.js';
import type { Workspace } from '../state.js';
import type { ParamDecls } from '../validate.js';
import { workspacePath } from './scope.js';

/** The filter every read-only TaskRouter list takes. */
export const BY_NAME: ParamDecls = { FriendlyName: 'str' };

/** The items with this friendly name; all of them when no name is asked for. */
export function named<T extends { friendlyName: string }>(items: T[], name: string | undefined): T[] {
  return items.filter((x) => !name || x.friendlyName === name);
}

/** An extra list filter: its query parameters, and which items it keeps. */
export interface ListFilter<Item> {
  query: ParamDecls;
  keeps(req: ApiRequest, item: Item): boolean;
}

/** A read-only collection of a workspace: fetched by SID, listed whole or by FriendlyName. */
export function registerNamedCollection<Item extends { friendlyName: string }>(
  route: RouteTable,
  ctx: Ctx,
  collection: {
    name: string;
    itemSid: string;
    key: string;
    items(w: Workspace): Map<string, Item>;
    serialize(w: Workspace, item: Item): unknown;
    filter?: ListFilter<Item>;
  },
): void {
  const routes = childRoutes(route, ctx, workspacePath(ctx), collection.name, {
    itemSid: collection.itemSid,
    find: (w, sid) => collection.items(w).get(sid),
    serialize: collection.serialize,
  });
  const { filter } = collection;
  routes.list({
    key: collection.key,
    query: { ...BY_NAME, ...filter?.query },
    items: (req, w) => named([...collection.items(w).values()], req.query.get('FriendlyName')).filter((x) => !filter || filter.keeps(req, x)),
  });
  routes.fetch();
}
