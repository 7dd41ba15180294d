import { join, resolve } from 'node:path';
import type { ChannelAdapter } from '../delivery/channel-adapter.js';
import type { MiddlewareConfig } from '../config/config.js';
import { PACKAGE_DIR } from '../config/load-config.js';
import { VisitorConnections } from './visitor-connections.js';
import { createVisitorTokens, webchatKeyResolver, type VisitorTokens } from './visitor-token.js';
import { createWebchatAdapter } from './webchat-adapter.js';
import { openWebchatLog, type WebchatLog } from './webchat-log.js';

/** The web chat's parts: its adapter (registered with the others) and what its routes share with it. */
export interface Webchat {
  adapter: ChannelAdapter;
  log: WebchatLog;
  connections: VisitorConnections;
  tokens: VisitorTokens;
  /** Where widget.js, widget.css and the demo page are read from. */
  publicDir: string;
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
}

export function openWebchat(options: WebchatOptions): Webchat {
  const log = openWebchatLog({ path: options.databasePath });
  const connections = new VisitorConnections();
  const tokens = createVisitorTokens({ keyFor: webchatKeyResolver(options.identitySecret, options.channelSecrets ?? new Map()) });
  return {
    adapter: createWebchatAdapter({ log, connections }),
    log,
    connections,
    tokens,
    publicDir: options.publicDir ?? DEFAULT_PUBLIC_DIR,
    close: () => log.close(),
  };
}

/** The web chat for a configuration, when one of its channels uses the `webchat` adapter. */
export function openWebchatFor(config: MiddlewareConfig): Webchat | undefined {
  const webchatChannels = config.channels.filter((channel) => channel.adapter === 'webchat');
  if (webchatChannels.length === 0) return undefined;
  return openWebchat({
    databasePath: webchatDatabasePath(config.databaseUrl),
    identitySecret: config.customerIdentitySecret,
    channelSecrets: new Map(webchatChannels.map((channel) => [channel.channelType, channel.secret])),
  });
}

/**
 * The transcripts live in the middleware's SQLite file (`sqlite:<path>`, `file:<path>`, a
 * bare path, `sqlite::memory:`); with another engine, in `data/webchat.sqlite`.
 */
export function webchatDatabasePath(databaseUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !/^(sqlite|file):/i.test(databaseUrl)) return resolve(PACKAGE_DIR, 'data', 'webchat.sqlite');
  const path = databaseUrl.replace(/^(sqlite|file):(\/\/)?/i, '');
  return path === ':memory:' ? path : resolve(PACKAGE_DIR, path);
}
