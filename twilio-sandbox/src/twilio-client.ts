import twilio from 'twilio';

export type TwilioClient = ReturnType<typeof twilio>;

/** The products the stand-in serves, by the first label of Twilio's host for each. */
const PRODUCT_PREFIXES = {
  conversations: 'conversations',
  flexApi: 'flex-api',
  taskrouter: 'taskrouter',
  studio: 'studio',
  content: 'content',
} as const;

export interface StandInCredentials {
  url: string;
  accountSid: string;
  /** The account's auth token; or an API key pair (`apiKeySid`, `apiKeySecret`). */
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
}

/**
 * The official `twilio` library pointed at the stand-in: each product's base URL becomes
 * `${url}/<product>`, as `https://<product>.twilio.com` would be.
 */
export function twilioClientFor(standIn: StandInCredentials): TwilioClient {
  const { url, accountSid, authToken, apiKeySid, apiKeySecret } = standIn;
  const client = apiKeySid && apiKeySecret ? twilio(apiKeySid, apiKeySecret, { accountSid }) : twilio(accountSid, authToken);
  // Region and edge settings would rewrite even a loopback host.
  client.region = undefined;
  client.edge = undefined;
  for (const [domain, prefix] of Object.entries(PRODUCT_PREFIXES)) {
    client[domain as keyof typeof PRODUCT_PREFIXES].baseUrl = `${url.replace(/\/+$/, '')}/${prefix}`;
  }
  return client;
}
