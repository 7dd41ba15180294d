export type EventSource = 'API' | 'SDK';

/** Who caused an event: it decides which webhooks fire and the `Source` they carry. */
export interface EventOrigin {
  source: EventSource;
  /** `X-Twilio-Webhook-Enabled: true` on the REST request (always true for SDK actions). */
  webhookEnabled: boolean;
  /** Identity of the SDK user acting (the agent), for ClientIdentity. */
  clientIdentity?: string;
}
