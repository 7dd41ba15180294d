import { instagramPlatform } from './instagram/instagram-platform.js';
import { linePlatform } from './line/line-platform.js';
import type { MessengerPlatform } from './messenger-platform.js';
import { telegramPlatform } from './telegram/telegram-platform.js';
import { viberPlatform } from './viber/viber-platform.js';

/**
 * The messenger platforms the kit has. A new platform is its folder and one line here; then
 * `npm run generate -w middleware` writes channels.schema.json and the contract's types.
 */
export const MESSENGER_PLATFORMS: readonly MessengerPlatform[] = [telegramPlatform, linePlatform, viberPlatform, instagramPlatform];

/** The platform of a channel's adapter, if it is a messenger's. */
export function messengerPlatformOf(adapter: string | undefined): MessengerPlatform | undefined {
  return MESSENGER_PLATFORMS.find((platform) => platform.adapter === adapter);
}
