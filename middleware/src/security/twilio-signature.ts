import twilio from 'twilio';
import type { WebhookParams } from '../twilio/webhook-form.js';

export type TwilioRequestVerifier = (path: string, signature: string | undefined, params: WebhookParams) => boolean;

/**
 * Checks `X-Twilio-Signature` against the public URL Twilio called (PUBLIC_BASE_URL plus
 * the path and query the request arrived with), not the local one a proxy forwarded to.
 * A repeated key's values are all signed; the library signs an array value as Twilio does.
 */
export function createTwilioRequestVerifier(authToken: string, publicBaseUrl: string): TwilioRequestVerifier {
  const origin = publicBaseUrl.replace(/\/+$/, '');
  return (path, signature, params) => {
    if (!signature) return false;
    return twilio.validateRequest(authToken, signature, `${origin}${path}`, params);
  };
}
