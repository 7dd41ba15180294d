import type { ChannelRuntime } from '../config/channels.js';

/** Where a messenger's file is fetched from: its URL (which may carry a token) and the headers it needs. */
export interface PlatformFileSource {
  url: string;
  headers?: Record<string, string>;
}

/**
 * Finds a messenger's file by the platform's reference to it. Throws FailureError. The
 * source is used for one download and never stored or logged: Telegram's file URL holds the
 * bot token, LINE's request the channel access token.
 */
export type PlatformFileLocator = (channel: ChannelRuntime, platformFileId: string) => Promise<PlatformFileSource>;
