/**
 * The first bytes each checkable type starts with, so an upload cannot pass off one kind of file
 * as another by its Content-Type alone. Images whose bytes cannot be checked here (SVG, which can
 * carry script, among them) are refused rather than trusted.
 */

/** Bytes enough for every signature below. */
export const SIGNATURE_BYTES = 16;

const ascii = (text: string) => Buffer.from(text, 'latin1');
const startsWith = (head: Buffer, prefix: Buffer, offset = 0) =>
  head.length >= offset + prefix.length && head.subarray(offset, offset + prefix.length).equals(prefix);
/** ISO base media files (HEIF, AVIF): a `ftyp` box first, naming its brand. */
const ftypBrand = (head: Buffer, brands: string[]) => startsWith(head, ascii('ftyp'), 4) && brands.includes(head.subarray(8, 12).toString('latin1'));

const SIGNATURES: Record<string, (head: Buffer) => boolean> = {
  'image/jpeg': (head) => startsWith(head, Buffer.from([0xff, 0xd8, 0xff])),
  'image/png': (head) => startsWith(head, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/gif': (head) => startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a')),
  'image/webp': (head) => startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8),
  'image/bmp': (head) => startsWith(head, ascii('BM')),
  'image/tiff': (head) => startsWith(head, Buffer.from([0x49, 0x49, 0x2a, 0x00])) || startsWith(head, Buffer.from([0x4d, 0x4d, 0x00, 0x2a])),
  'image/heic': (head) => ftypBrand(head, ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']),
  'image/heif': (head) => ftypBrand(head, ['mif1', 'msf1', 'heic', 'heix', 'hevc', 'hevx']),
  'image/avif': (head) => ftypBrand(head, ['avif', 'avis', 'mif1']),
  'application/pdf': (head) => startsWith(head, ascii('%PDF-')),
};

export type SignatureVerdict = 'matches' | 'differs' | 'not-checkable' | 'not-checked';

/**
 * Whether the file's first bytes are those of its declared type: `differs` when they are
 * not, `not-checkable` for an image type with no signature here, `not-checked` for other types.
 */
export function checkSignature(contentType: string, head: Buffer): SignatureVerdict {
  const signature = SIGNATURES[contentType];
  if (signature) return signature(head) ? 'matches' : 'differs';
  return contentType.startsWith('image/') ? 'not-checkable' : 'not-checked';
}

export const CHECKABLE_TYPES = Object.keys(SIGNATURES);
