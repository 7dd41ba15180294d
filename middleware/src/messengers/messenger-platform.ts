import type { ChannelRuntime } from '../config/channels.js';
import type { ChannelAdapter } from '../delivery/channel-adapter.js';
import type { PlatformFileSource } from '../media/platform-files.js';
import type { FirstContactRule } from './first-contact.js';
import type { MessengerWebhook } from './messenger-webhook.js';
import type { RegisterWebhook } from './webhook-registration.js';

/** What a platform's channels run on: its outbound adapter and its webhook. */
export interface MessengerParts {
  adapter: ChannelAdapter;
  webhook: MessengerWebhook;
}

/**
 * Everything the rest of the kit knows of one messenger platform. Each platform folder exports
 * one; `registry.ts` lists them, and the routes, the settings, setup and the contract's
 * schema and types are derived from that list.
 */
export interface MessengerPlatform {
  /** The `adapter` a channel names in channels.json, and the webhook path's segment: `/channels/<adapter>/<type>`. */
  adapter: string;
  /** The platform's name as people read it. */
  name: string;
  /** What channels.json says of it: the adapter's meaning, and the longest text one message takes (a channel's default `maxMessageLength`). */
  schema: { summary: string; textLimit: number };
  /** Its adapter and webhook, loaded only when a channel uses the platform. */
  open(): Promise<MessengerParts>;
  /** Why the platform will not take an agent's file the channel accepts, if it will not: the agent is told instead of the file being sent. */
  refusesFile?(file: { contentType: string; filename?: string | null; size?: number }): string | undefined;
  /**
   * Whom an agent may write to first (a business may write only to people who contacted it),
   * from what the kit knows of the customer: why one is out of reach now, and what a first
   * message to one in reach means for the business, if anything. Absent: a generic rule.
   */
  reachability?: FirstContactRule;
  /** Where a customer's file is fetched from, by the platform's reference to it; a platform client it needs is imported on the first call. Throws MediaStepError. */
  locateFile(channel: ChannelRuntime, platformFileId: string): Promise<PlatformFileSource>;
  settings: {
    /** `<prefix>_<tokenSuffix>` holds the credential it sends with, which `tokenMeaning` explains. */
    tokenSuffix: string;
    tokenMeaning: string;
    /** What `<prefix>_SECRET` holds for this platform; absent when the platform signs its webhooks with the token itself. */
    secretMeaning?: string;
    /** What is wrong with the secret by the platform's own rules, if anything. */
    secretProblem?(secret: string, prefix: string): string | undefined;
    /** Optional `<prefix>_<suffix>` variables of this platform only, by suffix, and what is wrong with a value, if anything. */
    options?: Record<string, (value: string, prefix: string) => string | undefined>;
  };
  setup: {
    /** The webhook registration, loaded when setup runs. */
    loadRegistration(): Promise<RegisterWebhook>;
    /** What is left to do in the platform's console, if anything. */
    consoleStep?(channelType: string): string;
    /** How to send the first message once the middleware runs. */
    firstMessage(channelType: string): string;
  };
}
