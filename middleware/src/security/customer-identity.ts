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
