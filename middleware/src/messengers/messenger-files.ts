import { acceptsType, essenceOf, type MediaPolicy } from '@custom-channels/contract';
import type { InboundAttachment } from '../inbound/inbound-message.js';

/** A file in a customer's message, as the platform's webhook describes it before it is fetched. */
export interface PlatformFile {
  platformFileId: string;
  /** What the platform says it is; a guess from the kind of message when it says nothing. */
  contentType: string;
  filename?: string;
  /** In bytes, when the webhook says. */
  size?: number;
  /** The placeholder's words for it (`photo`, `file: a.pdf`). */
  label: string;
}

/** The file as an attachment when the channel takes it, or why it does not, for the placeholder. */
export function takeFile(
  file: PlatformFile,
  media: MediaPolicy | undefined,
  platformLimitBytes?: number,
): { attachment: InboundAttachment } | { refused: string } {
  if (!media || !acceptsType(media, file.contentType)) return { refused: 'not taken by this channel' };
  const limit = Math.min(media.maxBytes, platformLimitBytes ?? Infinity);
  if (file.size !== undefined && file.size > limit) return { refused: 'too large for this channel' };
  return {
    attachment: {
      platformFileId: file.platformFileId,
      contentType: essenceOf(file.contentType),
      ...(file.filename ? { filename: file.filename.slice(0, 255) } : {}),
    },
  };
}

/** An agent's file as a text with its link, for what a platform cannot send as a file. The link expires. */
export function linkText(file: { url: string; filename: string | null }): string {
  return `${file.filename ?? 'A file'} (link valid for a limited time): ${file.url}`;
}

/** Types guessed from a file name's extension, for platforms that name none. */
const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A file's type by its name's extension; the download's Content-Type has the last word. */
export function typeOfFileName(name: string | undefined): string {
  const extension = name?.split('.').pop()?.toLowerCase() ?? '';
  return BY_EXTENSION[extension] ?? 'application/octet-stream';
}
