import type { IncomingHttpHeaders } from 'node:http';
import type { MessengerAdapter } from '@custom-channels/contract';
import type { ChannelRuntime } from '../config/channels.js';
import type { ChannelAdapter } from '../delivery/channel-adapter.js';
import type { PlatformFileLocator } from '../media/platform-files.js';
import type { Translation } from './messenger-message.js';

export type WebhookBody = { ok: true; translations: Translation[] } | { ok: false; field: string; message: string };

/** One platform's side of POST /channels/<platform>/:channelType. */
export interface MessengerWebhook {
  adapter: MessengerAdapter;
  /** True when the request comes from the platform: checked on the raw bytes, before the body is parsed. */
  verify(channel: ChannelRuntime, headers: IncomingHttpHeaders, rawBody: Buffer): boolean;
  /** What the 401 says is missing or wrong. */
  unverified: string;
  /** The body as JSON, when plain JSON.parse would lose something (Viber's 64-bit message tokens). */
  parse?(text: string): unknown;
  /** The events of a verified, parsed body, each as a customer message or ignored. */
  translate(channel: ChannelRuntime, body: unknown): Promise<WebhookBody>;
  /** The platform's check of a subscription (a GET whose challenge is echoed), for platforms that make one. */
  handshake?(channel: ChannelRuntime, query: Record<string, unknown>): { ok: true; challenge: string } | { ok: false; message: string };
}

/** The messenger platforms' adapters and webhooks. */
export interface Messengers {
  adapters: ChannelAdapter[];
  webhooks: MessengerWebhook[];
  /** Finds a customer's file on whichever platform the channel is on. */
  locateFile: PlatformFileLocator;
}
