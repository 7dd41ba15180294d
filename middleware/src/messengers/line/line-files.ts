import { type PlatformFile, typeOfFileName } from '../messenger-files.js';

/** What LINE's webhook says of a message's content: its type, and for a file its name and size. */
interface LineContent {
  type: string;
  id: string;
  fileName?: string;
  fileSize?: number;
  contentProvider?: { type?: string };
}

const LABELS: Record<string, { label: string; contentType: string }> = {
  image: { label: 'photo', contentType: 'image/jpeg' },
  video: { label: 'video', contentType: 'video/mp4' },
  audio: { label: 'voice message', contentType: 'audio/mp4' },
};

/**
 * The file of an image, video, audio or file message, kept by LINE (its content endpoint
 * serves it). Content from an external provider is only a URL LINE passes on: it stays a placeholder.
 */
export function fileOfLineMessage(message: LineContent): PlatformFile | undefined {
  if (message.contentProvider?.type === 'external') return undefined;
  if (message.type === 'file') {
    const name = typeof message.fileName === 'string' && message.fileName ? message.fileName : undefined;
    // LINE names no type for a file: the download's Content-Type has the last word.
    return {
      platformFileId: message.id,
      contentType: typeOfFileName(name),
      ...(name ? { filename: name } : {}),
      ...(typeof message.fileSize === 'number' ? { size: message.fileSize } : {}),
      label: name ? `file: ${name}` : 'file',
    };
  }
  const known = LABELS[message.type];
  return known && { platformFileId: message.id, contentType: known.contentType, label: known.label };
}
