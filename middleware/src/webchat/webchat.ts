import { join } from 'node:path';
import type { ChannelAdapter } from '../delivery/channel-adapter.js';
import type { MiddlewareConfig } from '../config/config.js';
import { PACKAGE_DIR } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { Transcripts } from '../store/transcripts.js';
import { type LoggedEvent, VisitorConnections } from './visitor-connections.js';
import { createVisitorTokens, webchatKeyResolver, type VisitorTokens } from './visitor-token.js';
import { createWebchatAdapter } from './webchat-adapter.js';

/** The web chat's parts: its adapter (registered with the others) and what its routes share with it. */
export interface Webchat {
  adapter: ChannelAdapter;
  /** The visitors' transcripts (the store's). */
  log: Transcripts;
  /** The transcripts' id (see Transcripts.epoch). */
  epoch: string;
  connections: VisitorConnections;
  tokens: VisitorTokens;
  /**
   * Pushes a logged entry to the visitor's sockets on this instance. With transcripts that fan
   * out by themselves (Redis) this does nothing: every instance's subscription pushes it.
   */
  publish(channelType: string, visitorId: string, entry: LoggedEvent): void;
  /** Where widget.css and the favicon are read from. */
  publicDir: string;
  /** Where the page at /webchat/ (index.html, page.css) is read from. */
  pageDir: string;
}

export const DEFAULT_PUBLIC_DIR = join(PACKAGE_DIR, 'public', 'webchat');

export interface WebchatOptions {
  /** The store's transcripts; the store closes them. */
  transcripts: Transcripts;
  /** Signs visitor tokens for channels without a secret of their own. */
  identitySecret: string;
  /** Channel secrets by type: a channel's `CHANNEL_<TYPE>_SECRET`, when set, signs its visitor tokens. */
  channelSecrets?: ReadonlyMap<string, string | undefined>;
  publicDir?: string;
  /** The page at /webchat/: the middleware's embedding example unless given (the demo gives its shop page). */
  pageDir?: string;
  logger?: Logger;
}

/**
 * The web chat on the store's transcripts. With Redis, a reply logged by one instance reaches
 * the visitor's sockets on any other through the transcripts' subscription.
 */
export async function openWebchat(options: WebchatOptions): Promise<Webchat> {
  const { transcripts: log, logger } = options;
  const connections = new VisitorConnections();
  const tokens = createVisitorTokens({
    keyFor: webchatKeyResolver(options.identitySecret, options.channelSecrets ?? new Map()),
  });
  const epoch = await log.epoch();
  let publish = (channelType: string, visitorId: string, entry: LoggedEvent) => void connections.publish(channelType, visitorId, entry);
  if (log.subscribe) {
    await log.subscribe({
      onEvent: publish,
      onResubscribed: () => {
        logger?.warn('web chat subscription restored; catching open sockets up from the log');
        void connections.catchUp().catch((error: unknown) => logger?.error({ err: error }, 'web chat catch-up failed'));
      },
    });
    publish = () => undefined;
  }
  return {
    adapter: createWebchatAdapter({
      log,
      publish,
      // With Redis the visitor may be connected to another instance: this one cannot tell.
      ...(log.subscribe ? {} : { isConnected: (channelType: string, visitorId: string) => connections.countOf(channelType, visitorId) > 0 }),
    }),
    log,
    epoch,
    connections,
    tokens,
    publish,
    publicDir: options.publicDir ?? DEFAULT_PUBLIC_DIR,
    pageDir: options.pageDir ?? options.publicDir ?? DEFAULT_PUBLIC_DIR,
  };
}

/** The web chat for a configuration, when one of its channels uses the `webchat` adapter. */
export async function openWebchatFor(config: MiddlewareConfig, transcripts: Transcripts, logger?: Logger, pageDir?: string): Promise<Webchat | undefined> {
  const webchatChannels = config.channels.filter((channel) => channel.adapter === 'webchat');
  if (webchatChannels.length === 0) return undefined;
  return openWebchat({
    transcripts,
    pageDir,
    logger,
    identitySecret: config.customerIdentitySecret,
    channelSecrets: new Map(webchatChannels.map((channel) => [channel.channelType, channel.secret])),
  });
}
