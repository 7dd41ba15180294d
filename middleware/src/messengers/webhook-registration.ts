import type { ChannelRuntime } from '../config/channels.js';

/** What setup did (or, in a dry run, would do) to a platform's webhook setting; `checked` where only the platform's console sets it. */
export type RegistrationAction = 'set' | 'unchanged' | 'would set' | 'checked';

export interface WebhookRegistration {
  action: RegistrationAction;
  /** Shown after the action, e.g. what drifted. */
  detail?: string;
}

/** Points a platform's webhook at the middleware; throws a RegistrationRefused the platform's answer explains. */
export type RegisterWebhook = (channel: ChannelRuntime, webhookUrl: string, dryRun: boolean) => Promise<WebhookRegistration>;

export class RegistrationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationRefused';
  }
}
