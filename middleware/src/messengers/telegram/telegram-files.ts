import type { PlatformFile } from '../messenger-files.js';

export interface FileFields {
  file_id: string;
  file_size?: number;
  mime_type?: string;
  file_name?: string;
}

/** The Bot API's file fields of a Message the channel reads. */
export interface TelegramFiles {
  photo?: Array<FileFields & { width: number; height: number }>;
  document?: FileFields;
  video?: FileFields;
  voice?: FileFields;
  animation?: unknown;
}

/** What getFile lets a bot download. */
export const TELEGRAM_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * The file of a photo (its largest size), file, video or voice message. A GIF also carries a
 * `document` for older clients: it stays a placeholder.
 */
export function fileOfTelegramMessage(message: TelegramFiles): PlatformFile | undefined {
  if (message.animation !== undefined) return undefined;
  const largest = message.photo?.length && message.photo.reduce((best, size) => (size.width * size.height > best.width * best.height ? size : best));
  if (largest) return fileFrom(largest, 'image/jpeg', 'photo');
  const { document, video, voice } = message;
  if (document) return fileFrom(document, 'application/octet-stream', document.file_name ? `file: ${document.file_name}` : 'file');
  if (video) return fileFrom(video, 'video/mp4', 'video');
  if (voice) return fileFrom(voice, 'audio/ogg', 'voice message');
  return undefined;
}

export function fileFrom(fields: FileFields, defaultType: string, label: string): PlatformFile | undefined {
  if (typeof fields.file_id !== 'string' || !fields.file_id) return undefined;
  return {
    platformFileId: fields.file_id,
    contentType: typeof fields.mime_type === 'string' && fields.mime_type ? fields.mime_type : defaultType,
    ...(typeof fields.file_name === 'string' && fields.file_name ? { filename: fields.file_name } : {}),
    ...(typeof fields.file_size === 'number' ? { size: fields.file_size } : {}),
    label,
  };
}
