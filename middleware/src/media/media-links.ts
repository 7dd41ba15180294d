import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where an agent's attachment can be fetched without Twilio credentials: signed, expiring. */
export interface MediaLinks {
  readonly ttlSeconds: number;
  urlFor(serviceSid: string, mediaSid: string, now?: number): string;
  /** Whether a link's query is genuine and not expired. */
  verify(serviceSid: string, mediaSid: string, expires: string | undefined, signature: string | undefined, now?: number): boolean;
}

export const MEDIA_ROUTE = '/media';
/** An hour: long enough for a channel that fetches when the customer opens the message, short enough not to be a lasting public link. */
export const DEFAULT_LINK_TTL_SECONDS = 3600;

export function createMediaLinks(options: { publicBaseUrl: string; key: string; ttlSeconds: number }): MediaLinks {
  const sign = (serviceSid: string, mediaSid: string, expires: number) =>
    createHmac('sha256', options.key).update(`${serviceSid}/${mediaSid}/${expires}`).digest('base64url');
  return {
    ttlSeconds: options.ttlSeconds,
    urlFor(serviceSid, mediaSid, now = Date.now()) {
      const expires = Math.floor(now / 1000) + options.ttlSeconds;
      return `${options.publicBaseUrl}${MEDIA_ROUTE}/${serviceSid}/${mediaSid}?expires=${expires}&signature=${sign(serviceSid, mediaSid, expires)}`;
    },
    verify(serviceSid, mediaSid, expires, signature, now = Date.now()) {
      // Only the form urlFor writes: a leading zero would be a second spelling of a signed link.
      if (!expires || !signature || !/^[1-9]\d{0,11}$/.test(expires) || Number(expires) * 1000 < now) return false;
      const expected = Buffer.from(sign(serviceSid, mediaSid, Number(expires)));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/** The links' key, derived from a secret the middleware already has, so there is no new one to manage. */
export function mediaLinkKey(secret: string): string {
  return createHmac('sha256', secret).update('custom-channels media links').digest('hex');
}
