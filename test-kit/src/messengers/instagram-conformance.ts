import { INSTAGRAM_TEST, type startMessengerStandIns } from './messenger-channels.js';
import type { InstagramTestUser } from './instagram-standin.js';

type StandIns = Awaited<ReturnType<typeof startMessengerStandIns>>;

/**
 * Instagram's row of the messenger conformance suite: what the suite needs to drive any platform
 * through the same cases (a customer writes, a redelivery, forgeries, the agent's reply, the
 * platform's throttling), in Instagram's words. One entry of the suite's `platforms` table.
 */
export function instagramConformanceRow(standIns: StandIns) {
  const { instagram } = standIns;
  return {
    platform: 'Instagram',
    adapter: 'instagram',
    channelType: INSTAGRAM_TEST.channelType,
    credentials: [INSTAGRAM_TEST.accessToken, INSTAGRAM_TEST.appSecret],
    newCustomer: (name: string) => instagram.newUser(name),
    customerId: (customer: InstagramTestUser) => customer.id,
    /** A delivery of one text from the customer, and the id the middleware deduplicates it on. */
    textDelivery(customer: InstagramTestUser, text: string) {
      const event = instagram.textEvent(customer, text);
      return { body: instagram.callback(event), messageId: event.message.mid };
    },
    /** The same delivery as the platform sends it again. */
    redelivery: <T>(body: T): T => body,
    deliver: (body: unknown, url: string, signature?: string | null) => instagram.deliver(body, { url, signature }),
    /** Signatures the platform would never send for `raw`. */
    forgedSignatures: (raw: string) => [null, 'sha256=', instagram.sign(`${raw} `), instagram.sign(raw).toUpperCase(), `sha256=${'0'.repeat(64)}`],
    textsSentTo: (customer: InstagramTestUser) =>
      instagram.sent.filter((message) => message.to === customer.id && message.text).map((message) => message.text!),
    /** The platform's next `count` sends refused by its rate limit. */
    throttleNextSends: (count: number) => instagram.failNext(...Array.from({ length: count }, () => ({ status: 400, code: 613 }))),
  };
}
