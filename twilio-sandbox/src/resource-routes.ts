import { productUrl, type Ctx } from './context.js';
import { found, type ApiRequest, type Product, type RouteTable } from './http.js';
import { listPage, PAGE } from './paging.js';
import type { ParamDecls } from './validate.js';

/**
 * A collection resource: where it lives, how a request finds its parent and an item, and how an
 * item is serialized. Items live at `{path}/:Sid`.
 */
export interface Resource<Parent, Item> {
  product: Product;
  /** The collection's path, e.g. '/v1/Conversations/:ConversationSid/Participants'. */
  path: string;
  /** SID prefixes of the collection path's parameters (a malformed one is a 404). */
  sids?: Record<string, string>;
  /** SID prefix of the item's `:Sid`, when only a SID names an item. */
  itemSid?: string;
  parent(req: ApiRequest): Parent;
  /** The item the path names; `method` for items whose fetch takes another name than their update and delete. */
  find(parent: Parent, sid: string, method: 'GET' | 'POST' | 'DELETE'): Item | undefined;
  serialize(parent: Parent, item: Item): unknown;
}

export interface ListOptions<Parent, Item> {
  key: string;
  maxPageSize?: number;
  /** Filters the list accepts besides paging. */
  query?: ParamDecls;
  items(req: ApiRequest, parent: Parent): readonly Item[];
}

type ItemAction<Parent, Item> = (req: ApiRequest, parent: Parent, item: Item) => void;

/** How a request's path names a parent resource: its item path, e.g. '/v1/Workspaces/:WorkspaceSid'. */
export type ParentPath<Parent> = Pick<Resource<Parent, unknown>, 'product' | 'path' | 'sids' | 'parent'>;

/** The routes of a collection below a parent: `{parent path}/{collection}`. */
export function childRoutes<Parent, Item>(
  route: RouteTable,
  ctx: Ctx,
  parent: ParentPath<Parent>,
  collection: string,
  item: Pick<Resource<Parent, Item>, 'itemSid' | 'find' | 'serialize'>,
) {
  return resourceRoutes(route, ctx, { ...parent, path: `${parent.path}/${collection}`, ...item });
}

/** A top-level collection kept in a map by SID, e.g. `/v1/FlexFlows`. */
export function topLevelCollection<Item>(
  product: Product,
  path: string,
  itemSid: string,
  items: Map<string, Item>,
  serialize: (item: Item) => unknown,
): Resource<Map<string, Item>, Item> {
  return {
    product,
    path,
    itemSid,
    parent: () => items,
    find: (all, sid) => all.get(sid),
    serialize: (_all, item) => serialize(item),
  };
}

/** Registers a resource's routes: each answers as Twilio does (201, 200, a page, 204, or 404). */
export function resourceRoutes<Parent, Item>(route: RouteTable, ctx: Ctx, r: Resource<Parent, Item>) {
  const itemSids = r.itemSid ? { ...r.sids, Sid: r.itemSid } : r.sids;
  /** A route on one item: found (or Twilio's 404), acted on, answered. */
  const itemRoute = (method: 'GET' | 'POST' | 'DELETE', body: ParamDecls | undefined, act: ItemAction<Parent, Item>, status: number) =>
    route(r.product, {
      method,
      path: `${r.path}/:Sid`,
      sids: itemSids,
      body,
      handler: (req) => {
        const parent = r.parent(req);
        const item = found(req, r.find(parent, req.params.Sid!, method));
        act(req, parent, item);
        return status === 204 ? { status } : { status, body: r.serialize(parent, item) };
      },
    });

  return {
    create(body: ParamDecls, make: (req: ApiRequest, parent: Parent) => Item): void {
      route(r.product, {
        method: 'POST',
        path: r.path,
        sids: r.sids,
        body,
        handler: (req) => {
          const parent = r.parent(req);
          return { status: 201, body: r.serialize(parent, make(req, parent)) };
        },
      });
    },
    list(opts: ListOptions<Parent, Item>): void {
      route(r.product, {
        method: 'GET',
        path: r.path,
        sids: r.sids,
        query: { ...opts.query, ...PAGE },
        handler: (req) => {
          const parent = r.parent(req);
          const page = {
            key: opts.key,
            url: productUrl(ctx, r.product, req.twilioPath),
            maxPageSize: opts.maxPageSize,
          };
          return listPage(req, opts.items(req, parent), page, (item) => r.serialize(parent, item));
        },
      });
    },
    fetch: (): void => itemRoute('GET', undefined, () => undefined, 200),
    update: (body: ParamDecls, apply: ItemAction<Parent, Item>): void => itemRoute('POST', body, apply, 200),
    remove: (drop: ItemAction<Parent, Item>): void => itemRoute('DELETE', undefined, drop, 204),
  };
}
