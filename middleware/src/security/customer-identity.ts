import { createHmac } from 'node:crypto';

export type CustomerIdentityFactory = (channelType: string, customerId: string) => string;

/**
 * The identity a customer has inside Twilio: stable per channel and customer, but a keyed
 * hash, so a phone number or e-mail address never reaches Twilio or Flex as an identity.
 */
export function createCustomerIdentityFactory(secret: string): CustomerIdentityFactory {
  return (channelType, customerId) => {
    const digest = createHmac('sha256', secret).update(`${channelType}\u0000${customerId}`).digest('hex');
    return `${channelType}_${digest.slice(0, 32)}`;
  };
}

const DIGEST = /^[0-9a-f]{32}$/;

/**
 * Whether an author has the shape of the identities the factory makes for the given channels:
 * how the customer's own words, which Twilio sends back as a webhook for every message posted,
 * are told apart without reading their session.
 */
export function createCustomerIdentityMatcher(channelTypes: Iterable<string>): (author: string) => boolean {
  const channels = new Set(channelTypes);
  return (author) => {
    const separator = author.lastIndexOf('_');
    return separator > 0 && channels.has(author.slice(0, separator)) && DIGEST.test(author.slice(separator + 1));
  };
}
