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
  /** The collection's path, e.g. '/v2/Services/:ServiceSid/Channels/:ChannelSid/Members'. */
  path: string;
  /** SID prefixes of the collection path's parameters (a malformed one is a 404). */
  sids?: Record<string, string>;
  /** SID prefix of the item's `:Sid`, when only a SID names an item. */
  itemSid?: string;
  parent(req: ApiRequest): Parent;
  find(parent: Parent, sid: string): Item | undefined;
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

/** Registers a resource's routes: each answers as Twilio does (201, 200, a page, 204, or 404). */
export function resourceRoutes<Parent, Item>(route: RouteTable, ctx: Ctx, r: Resource<Parent, Item>) {
  const itemPath = `${r.path}/:Sid`;
  const itemSids = r.itemSid ? { ...r.sids, Sid: r.itemSid } : r.sids;
  const locate = (req: ApiRequest) => {
    const parent = r.parent(req);
    return { parent, item: found(req, r.find(parent, req.params.Sid!)) };
  };
  const serialized = (status: number, parent: Parent, item: Item) => ({ status, body: r.serialize(parent, item) });

  return {
    create(body: ParamDecls, make: (req: ApiRequest, parent: Parent) => Item): void {
      route(r.product, {
        method: 'POST',
        path: r.path,
        sids: r.sids,
        body,
        handler: (req) => {
          const parent = r.parent(req);
          return serialized(201, parent, make(req, parent));
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
          const page = { key: opts.key, url: productUrl(ctx, r.product, req.twilioPath), maxPageSize: opts.maxPageSize };
          return listPage(req, opts.items(req, parent), page, (item) => r.serialize(parent, item));
        },
      });
    },
    fetch(): void {
      route(r.product, {
        method: 'GET',
        path: itemPath,
        sids: itemSids,
        handler: (req) => {
          const { parent, item } = locate(req);
          return serialized(200, parent, item);
        },
      });
    },
    update(body: ParamDecls, apply: ItemAction<Parent, Item>): void {
      route(r.product, {
        method: 'POST',
        path: itemPath,
        sids: itemSids,
        body,
        handler: (req) => {
          const { parent, item } = locate(req);
          apply(req, parent, item);
          return serialized(200, parent, item);
        },
      });
    },
    remove(drop: ItemAction<Parent, Item>): void {
      route(r.product, {
        method: 'DELETE',
        path: itemPath,
        sids: itemSids,
        handler: (req) => {
          const { parent, item } = locate(req);
          drop(req, parent, item);
          return { status: 204 };
        },
      });
    },
  };
}
