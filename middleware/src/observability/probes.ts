import { channel } from 'node:diagnostics_channel';

/**
 * Timing probes for the benchmark (bench/probe.ts subscribes to them in the middleware's
 * process). Each call site checks `hasSubscribers` first, so with nobody listening (always,
 * outside the benchmark) a probe costs one property read. They carry no timestamps: the
 * subscriber reads the clock (and stamps requests on node's own `http.server.request.start`).
 */
export const probes = {
  /** A valid inbound message, before it is persisted: `{ request: IncomingMessage, channelType, externalId }`. */
  inboundReceived: channel('custom-channels:inbound-received'),
  /** The twilio library is about to be asked to post a customer's message: `{ externalId }`. */
  messagePosting: channel('custom-channels:message-posting'),
  /** A verified Twilio webhook about a message, before it is handled: `{ request: IncomingMessage, messageSid }`. */
  webhookReceived: channel('custom-channels:webhook-received'),
  /** A delivery about to be POSTed by the webhook adapter: `{ eventId }`. */
  deliverySending: channel('custom-channels:delivery-sending'),
};
