import type { PlatformFile } from '../messenger-files.js';
import { fileFrom, type FileFields } from './telegram-files.js';

/** The Bot API's Sticker, the fields the channel reads. */
export interface TelegramSticker extends Partial<FileFields> {
  is_animated?: boolean;
  is_video?: boolean;
  emoji?: string;
  set_name?: string;
  /** A PhotoSize, in WebP or JPEG: the only still image of an animated or video sticker. */
  thumbnail?: Partial<FileFields>;
}

/** What the agent reads with (or instead of) the image: `sticker 😀`. */
export function stickerLabel(sticker: TelegramSticker): string {
  const emoji = emojiOf(sticker);
  return emoji ? `sticker ${emoji}` : 'sticker';
}

/** The sticker's values a bot can branch on: its emoji and its set. */
export function stickerAttributes(sticker: TelegramSticker): { sticker: { emoji?: string; setName?: string } } {
  const emoji = emojiOf(sticker);
  const setName = typeof sticker.set_name === 'string' && sticker.set_name ? sticker.set_name.slice(0, 64) : undefined;
  return { sticker: { ...(emoji ? { emoji } : {}), ...(setName ? { setName } : {}) } };
}

/**
 * The image the agent sees: a static sticker is a WebP file itself; an animated (.tgs) or
 * video (.webm) one, which a browser does not show as an image, is shown by its thumbnail when
 * it has one. Telegram names no type for either: WebP is assumed, the download's type has the last word.
 */
export function stickerImage(sticker: TelegramSticker): PlatformFile | undefined {
  const label = stickerLabel(sticker);
  const still = sticker.is_animated !== true && sticker.is_video !== true;
  const source = still ? sticker : sticker.thumbnail;
  if (!source || typeof source.file_id !== 'string') return undefined;
  return fileFrom({ file_id: source.file_id, ...(typeof source.file_size === 'number' ? { file_size: source.file_size } : {}) }, 'image/webp', label);
}

function emojiOf(sticker: TelegramSticker): string | undefined {
  // An emoji is a few code points; anything longer is not one.
  return typeof sticker.emoji === 'string' && sticker.emoji && Array.from(sticker.emoji).length <= 16 ? sticker.emoji : undefined;
}
