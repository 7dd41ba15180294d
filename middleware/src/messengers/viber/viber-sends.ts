import { essenceOf } from '@custom-channels/contract';
import type { DeliveredAttachment } from '../../delivery/channel-events.js';
import { linkText } from '../messenger-files.js';

/** One send_message body, without `receiver` and `sender`. */
export type ViberContent =
  | { type: 'text'; text: string }
  | { type: 'picture'; text: string; media: string }
  | { type: 'video'; media: string; size: number }
  | { type: 'file'; media: string; size: number; file_name: string };

const MB = 1024 * 1024;
/** Viber's documented limits for what a bot sends by URL: a JPEG picture up to 1 MB, an MP4 video up to 26 MB, a file up to 50 MB. */
const PICTURE_MAX_BYTES = 1 * MB;
const VIDEO_MAX_BYTES = 26 * MB;
const FILE_MAX_BYTES = 50 * MB;
/** File names Viber refuses to send: programs and scripts. */
const FORBIDDEN_EXTENSIONS = new Set(
  (
    'ade adp app asp bas bat cer chm cmd com cpl crt csh der exe fxp gadget hlp hta inf ins isp its js jse ksh lnk mad maf mag mam maq mar mas mat mau mav maw ' +
    'mda mdb mde mdt mdw mdz msc msh msh1 msh2 mshxml msh1xml msh2xml msi msp mst ops pcd pif plg prf prg pst reg scf scr sct shb shs ps1 ps1xml ps2 ps2xml ' +
    'psc1 psc2 tmp url vb vbe vbs vsmacros vsw ws wsc wsf wsh xnk'
  ).split(' '),
);

/** Why Viber will not send an agent's file: a name it refuses, or more than it takes. The agent is told instead. */
export function viberRefusal(file: { filename?: string | null; size?: number }): string | undefined {
  const name = file.filename ?? 'the attachment';
  const extension = file.filename?.split('.').pop()?.toLowerCase() ?? '';
  if (file.filename?.includes('.') && FORBIDDEN_EXTENSIONS.has(extension)) return `${name}: Viber does not send programs or scripts (.${extension} files)`;
  if (file.size !== undefined && file.size > FILE_MAX_BYTES)
    return `${name} has ${file.size.toLocaleString('en-US')} bytes, and Viber sends files of at most 50 MB`;
  return undefined;
}

/**
 * An agent's message with attachments as send_message bodies: the text first, then each file,
 * which Viber fetches from the middleware's signed link itself. A file `viberRefusal` turned
 * away never gets here; one whose size is unknown (Viber needs it) goes as a text with the link.
 */
export function viberContentsOf(text: string, media: DeliveredAttachment[]): ViberContent[] {
  const contents: ViberContent[] = text.trim() ? [{ type: 'text', text }] : [];
  for (const file of media) contents.push(contentOf(file));
  return contents;
}

function contentOf(file: DeliveredAttachment): ViberContent {
  const type = essenceOf(file.contentType);
  const { size } = file;
  // Viber needs the size of a video or a file up front.
  if (size === null) return { type: 'text', text: linkText(file) };
  if (type === 'image/jpeg' && size <= PICTURE_MAX_BYTES) return { type: 'picture', text: '', media: file.url };
  if (type === 'video/mp4' && size <= VIDEO_MAX_BYTES) return { type: 'video', media: file.url, size };
  const name = file.filename ?? `file.${type.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin'}`;
  if (size <= FILE_MAX_BYTES && !FORBIDDEN_EXTENSIONS.has(name.split('.').pop()?.toLowerCase() ?? '')) {
    return { type: 'file', media: file.url, size, file_name: name.slice(0, 255) };
  }
  return { type: 'text', text: linkText(file) };
}
