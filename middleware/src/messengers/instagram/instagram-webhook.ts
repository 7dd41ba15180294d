import type { MessengerWebhook } from '../messenger-webhook.js';
import { ignored, type Translation } from '../messenger-message.js';
import type { ProfileNames } from '../profile-names.js';
import { parseInstagramCallback, selectInstagramEvents, translateInstagramEvent } from './instagram-events.js';
import { ACCOUNT_ID_OPTION } from './instagram-options.js';
import type { SentMessages } from './sent-messages.js';
import { INSTAGRAM_SIGNATURE_HEADER, instagramSignatureMatches, instagramVerifyToken, sameToken } from './instagram-signature.js';

/**
 * Instagram's webhook (Messenger Platform): Meta's GET subscription check with the verify
 * token, then batches of entries signed with the app secret over the raw body.
 */
export function createInstagramWebhook(profileName: ProfileNames, sent: SentMessages): MessengerWebhook {
  return {
    adapter: 'instagram',
    unverified: 'X-Hub-Signature-256 is missing or does not match the body and the app secret',
    verify(channel, headers, rawBody) {
      const signature = headers[INSTAGRAM_SIGNATURE_HEADER];
      return typeof signature === 'string' && channel.secret !== undefined && instagramSignatureMatches(rawBody, channel.secret, signature);
    },
    handshake(channel, query) {
      const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = query;
      if (mode !== 'subscribe') return { ok: false, message: 'hub.mode must be "subscribe"' };
      if (typeof challenge !== 'string' || !challenge || challenge.length > 256) return { ok: false, message: 'hub.challenge is missing' };
      if (typeof token !== 'string' || !channel.secret || !sameToken(instagramVerifyToken(channel.secret, channel.channelType), token)) {
        return { ok: false, message: 'hub.verify_token is not the verify token of this channel (npm run setup prints it)' };
      }
      return { ok: true, challenge };
    },
    async translate(channel, body) {
      const parsed = parseInstagramCallback(body);
      if (!parsed.ok) return parsed;
      // Names are looked up side by side: a batch must still be answered promptly.
      const translations = await Promise.all(
        selectInstagramEvents(parsed.callback, channel.options?.[ACCOUNT_ID_OPTION]).map(async (selected): Promise<Translation> => {
          if ('ignored' in selected) return ignored(selected.ignored);
          const { read } = selected.event;
          if (read) {
            const upTo = sent.messageSidOf(channel.channelType, read.mid);
            return upTo ? { kind: 'read', customerId: selected.customerId, upTo } : ignored('a read of a message this process does not know');
          }
          return translateInstagramEvent(selected, await profileName(channel, selected.customerId), channel.maxMessageLength, channel.media);
        }),
      );
      return { ok: true, translations };
    },
  };
}
