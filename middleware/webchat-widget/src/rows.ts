import type { VisitorEvent } from '../../src/webchat/protocol.js';
import { el, timeOf } from './dom.js';

/** An attachment as the transcript links it. */
export type DeliveredFile = NonNullable<Extract<VisitorEvent, { kind: 'agent-message' }>['media']>[number];
/** What a row shows of a file: a delivered one (its link), or one being sent (its local preview). */
type ShownFile = Pick<DeliveredFile, 'contentType'> & { filename?: string | null; size?: number | null; url?: string; preview?: string };

export type MessageState = 'sending' | 'delivered' | 'read' | 'failed';

/** An upload under way (its progress), or refused by the middleware (why). */
export interface Upload {
  name: string;
  size: number;
  loaded: number;
  error: string;
}

export interface MessageRow {
  kind: 'visitor' | 'agent';
  author: string;
  text: string;
  at?: number;
  state?: MessageState;
  seq?: number;
  /** Why a failed message was not sent. */
  reason?: string;
  media?: ShownFile[];
}

const STATE_LABELS: Record<Exclude<MessageState, 'failed'>, string> = {
  read: '\u2713\u2713 Read',
  delivered: '\u2713 Delivered',
  sending: 'Sending\u2026',
};

export function messageRow({ kind, author, text, at, state, seq, reason, media }: MessageRow): HTMLLIElement {
  const row = el('li', `cc-msg cc-${kind}`);
  row.setAttribute('data-kind', kind);
  if (seq !== undefined) row.setAttribute('data-seq', String(seq));
  const meta = el('span', 'cc-meta');
  meta.appendChild(el('span', 'cc-author', author));
  if (typeof at === 'number') meta.appendChild(timeOf(at));
  row.appendChild(meta);
  if (text) row.appendChild(el('p', 'cc-text', text));
  for (const file of media ?? []) row.appendChild(attachmentView(file));
  if (state) {
    row.setAttribute('data-state', state);
    row.appendChild(el('span', 'cc-state', state === 'failed' ? `Not sent${reason ? `: ${reason}` : ''}` : STATE_LABELS[state]));
  }
  return row;
}

export function endedRow(seq: number, at: number): HTMLLIElement {
  const row = el('li', 'cc-msg cc-system');
  row.setAttribute('data-kind', 'ended');
  row.setAttribute('data-seq', String(seq));
  row.append(el('span', 'cc-ended', 'Chat ended'), timeOf(at), el('span', 'cc-hint', 'Send a message to start a new chat.'));
  return row;
}

export function uploadRow(upload: Upload): HTMLLIElement {
  const row = el('li', 'cc-msg cc-visitor cc-upload');
  row.setAttribute('data-kind', 'upload');
  row.appendChild(el('span', 'cc-file-name', `${upload.name} ${sizeText(upload.size)}`));
  if (upload.error) {
    row.setAttribute('data-state', 'failed');
    row.appendChild(el('span', 'cc-state', `Not sent: ${upload.error}`));
  } else {
    const bar = el('progress', 'cc-progress');
    bar.max = upload.size;
    bar.value = upload.loaded;
    bar.setAttribute('aria-label', `Uploading ${upload.name}`);
    row.appendChild(bar);
  }
  return row;
}

export function sizeText(bytes: number | null | undefined): string {
  if (typeof bytes !== 'number') return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A picture as a thumbnail that opens full size, anything else as a named download with its size. Names are text, never markup. */
function attachmentView(file: ShownFile): HTMLAnchorElement {
  const name = file.filename || (file.contentType.indexOf('image/') === 0 ? 'picture' : 'file');
  const link = el('a', 'cc-attachment');
  link.href = file.url || file.preview || '#';
  link.target = '_blank';
  link.rel = 'noopener';
  const source = file.preview || file.url;
  if (/^image\/(png|jpeg|gif|webp)$/.test(file.contentType) && source) {
    const image = el('img', 'cc-thumb');
    image.src = source;
    image.alt = name;
    link.appendChild(image);
    link.setAttribute('data-attachment', 'image');
  } else {
    link.setAttribute('download', name);
    link.setAttribute('data-attachment', 'file');
    link.append(el('span', 'cc-file-name', name), el('span', 'cc-file-size', sizeText(file.size)));
  }
  return link;
}
