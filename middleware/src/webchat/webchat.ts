import { join, resolve } from 'node:path';
import type { ChannelAdapter } from '../delivery/channel-adapter.js';
import type { MiddlewareConfig } from '../config/config.js';
import { PACKAGE_DIR } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import { storeEngine } from '../store/index.js';
import { type LoggedEvent, VisitorConnections } from './visitor-connections.js';
import { createVisitorTokens, webchatKeyResolver, type VisitorTokens } from './visitor-token.js';
import { createWebchatAdapter } from './webchat-adapter.js';
import { openWebchatLog, type WebchatLog } from './webchat-log.js';

/** The web chat's parts: its adapter (registered with the others) and what its routes share with it. */
export interface Webchat {
  adapter: ChannelAdapter;
  log: WebchatLog;
  connections: VisitorConnections;
  tokens: VisitorTokens;
  /**
   * Pushes a logged entry to the visitor's sockets on this instance. With a log that fans
   * out by itself (Redis) this does nothing: every instance's subscription pushes it.
   */
  publish(channelType: string, visitorId: string, entry: LoggedEvent): void;
  /** Where widget.css and the favicon are read from. */
  publicDir: string;
  /** Where the page at /webchat/ (index.html, page.css) is read from. */
  pageDir: string;
  close(): Promise<void>;
}

export const DEFAULT_PUBLIC_DIR = join(PACKAGE_DIR, 'public', 'webchat');

export interface WebchatOptions {
  /** The SQLite file the transcripts live in (the middleware's own), or `:memory:`. */
  databasePath: string;
  /** Signs visitor tokens for channels without a secret of their own. */
  identitySecret: string;
  /** Channel secrets by type: a channel's `CHANNEL_<TYPE>_SECRET`, when set, signs its visitor tokens. */
  channelSecrets?: ReadonlyMap<string, string | undefined>;
  publicDir?: string;
  /** The page at /webchat/: the middleware's embedding example unless given (the demo gives its shop page). */
  pageDir?: string;
  /** Problems the transcript store recovers from by itself (a failed checkpoint thread, restarted). */
  onError?: (error: Error) => void;
}

/** The web chat on a SQLite transcript: one instance. */
export function openWebchat(options: WebchatOptions): Webchat {
  return assemble(openWebchatLog({ path: options.databasePath, onError: options.onError }), new VisitorConnections(), options);
}

function assemble(log: WebchatLog, connections: VisitorConnections, options: Omit<WebchatOptions, 'databasePath'>): Webchat {
  const tokens = createVisitorTokens({
    keyFor: webchatKeyResolver(options.identitySecret, options.channelSecrets ?? new Map()),
  });
  const publish = log.fansOut
    ? () => undefined
    : (channelType: string, visitorId: string, entry: LoggedEvent) => void connections.publish(channelType, visitorId, entry);
  return {
    adapter: createWebchatAdapter({ log, publish }),
    log,
    connections,
    tokens,
    publish,
    publicDir: options.publicDir ?? DEFAULT_PUBLIC_DIR,
    pageDir: options.pageDir ?? options.publicDir ?? DEFAULT_PUBLIC_DIR,
    close: () => log.close(),
  };
}

/**
 * The web chat on a transcript in Redis, shared by every instance: a reply logged by one
 * instance reaches the visitor's sockets on any other through Redis pub/sub.
 */
export async function openRedisWebchat(options: Omit<WebchatOptions, 'databasePath'> & { url: string; logger?: Logger }): Promise<Webchat> {
  const { openRedisWebchatLog } = await import('./redis-webchat-log.js');
  const connections = new VisitorConnections();
  const log: WebchatLog = await openRedisWebchatLog({
    url: options.url,
    onEvent: (channelType, visitorId, entry) => connections.publish(channelType, visitorId, entry),
    onResubscribed: () => {
      options.logger?.warn('web chat subscription restored; catching open sockets up from the log');
      void connections.catchUp().catch((error: unknown) => options.logger?.error({ err: error }, 'web chat catch-up failed'));
    },
    onError: (error) => options.logger?.warn({ err: error }, 'web chat redis connection problem'),
  });
  return assemble(log, connections, options);
}

/** The web chat for a configuration, when one of its channels uses the `webchat` adapter. */
export async function openWebchatFor(config: MiddlewareConfig, logger?: Logger, pageDir?: string): Promise<Webchat | undefined> {
  const webchatChannels = config.channels.filter((channel) => channel.adapter === 'webchat');
  if (webchatChannels.length === 0) return undefined;
  const shared = {
    pageDir,
    identitySecret: config.customerIdentitySecret,
    channelSecrets: new Map(webchatChannels.map((channel) => [channel.channelType, channel.secret])),
  };
  if (storeEngine(config.databaseUrl) === 'redis') return openRedisWebchat({ ...shared, url: config.databaseUrl, logger });
  return openWebchat({
    ...shared,
    databasePath: webchatDatabasePath(config.databaseUrl),
    onError: (error) => logger?.warn({ err: error }, 'web chat store problem'),
  });
}

/**
 * The transcripts live in the middleware's SQLite file (`sqlite:<path>`, `file:<path>`, a
 * bare path, `sqlite::memory:`); with Redis, in Redis (see openWebchatFor).
 */
export function webchatDatabasePath(databaseUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !/^(sqlite|file):/i.test(databaseUrl)) return resolve(PACKAGE_DIR, 'data', 'webchat.sqlite');
  const path = databaseUrl.replace(/^(sqlite|file):(\/\/)?/i, '');
  return path === ':memory:' ? path : resolve(PACKAGE_DIR, path);
}
