import type { MessengerWebhook } from '../messenger-webhook.js';
import { ignored, type Translation } from '../messenger-message.js';
import { parseLineCallback, selectLineEvent, translateLineMessage } from './line-events.js';
import { lineSignatureMatches } from './line-signature.js';
import type { ProfileNames } from '../profile-names.js';

export const LINE_SIGNATURE_HEADER = 'x-line-signature';

/** LINE's webhook: a batch of events, signed with the channel secret over the raw body. */
export function createLineWebhook(profileName: ProfileNames): MessengerWebhook {
  return {
    adapter: 'line',
    unverified: 'X-Line-Signature is missing or does not match the body and the channel secret',
    verify(channel, headers, rawBody) {
      const signature = headers[LINE_SIGNATURE_HEADER];
      return typeof signature === 'string' && channel.secret !== undefined && lineSignatureMatches(rawBody, channel.secret, signature);
    },
    async translate(channel, body) {
      const parsed = parseLineCallback(body);
      if (!parsed.ok) return parsed;
      // Names are looked up side by side: a batch must still be answered promptly.
      const translations = await Promise.all(
        parsed.callback.events.map(async (raw): Promise<Translation> => {
          const selected = selectLineEvent(raw);
          if ('ignored' in selected) return ignored(selected.ignored);
          return translateLineMessage(selected, await profileName(channel, selected.userId), channel.maxMessageLength, channel.media);
        }),
      );
      return { ok: true, translations };
    },
  };
}
