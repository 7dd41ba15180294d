import { endedRow, messageRow, uploadRow, type Upload } from './rows.js';
import type { PendingMessage } from './storage.js';
import type { Transcript } from './transcript.js';
import { richView, type Select } from './rich.js';

export interface MessageListState {
  transcript: Transcript;
  /** Messages not yet in the transcript: being sent, acknowledged (`delivered`), or refused (`failed`, with why). */
  pending: PendingMessage[];
  delivered: ReadonlySet<string>;
  failed: ReadonlyMap<string, string>;
  uploads: Upload[];
  /** The visitor taps an option of an agent's rich message. */
  select: Select;
}

/** Draws the conversation; true when it ends with the end of a chat (the next message starts a new one). */
export function drawMessages(list: HTMLOListElement, { transcript, pending, delivered, failed, uploads, select }: MessageListState): boolean {
  const shown = new Set<string>();
  let ended = false;
  const readUpTo = transcript.readHorizon();
  list.textContent = '';
  const events = transcript.inOrder();
  for (const [index, [seq, event]] of events.entries()) {
    if (event.kind === 'visitor-message') {
      shown.add(event.id);
      const state = seq <= readUpTo ? 'read' : 'delivered';
      list.appendChild(messageRow({ kind: 'visitor', author: 'You', text: event.text, at: event.at, state, seq, media: event.media }));
      ended = false;
    } else if (event.kind === 'agent-message') {
      const row = messageRow({ kind: 'agent', author: 'Agent', text: event.rich ? '' : event.text, at: event.at, seq, media: event.media });
      row.setAttribute('data-id', event.id);
      // Options take a tap until the visitor writes or taps again.
      const answered = pending.length > 0 || events.slice(index + 1).some(([, later]) => later.kind === 'visitor-message');
      if (event.rich) row.appendChild(richView(event.rich, select, answered));
      list.appendChild(row);
      ended = false;
    } else if (event.kind === 'ended') {
      list.appendChild(endedRow(seq, event.at));
      ended = true;
    }
  }
  for (const message of pending) {
    if (shown.has(message.id)) continue;
    const reason = failed.get(message.id);
    const state = reason !== undefined ? 'failed' : delivered.has(message.id) ? 'delivered' : 'sending';
    list.appendChild(messageRow({ kind: 'visitor', author: 'You', text: message.text, at: message.at, state, reason, media: message.media }));
    ended = false;
  }
  for (const upload of uploads) list.appendChild(uploadRow(upload));
  return ended;
}

/** The latest agent message on screen (its event id and seq), if any. */
export function latestAgentMessageOnScreen(list: HTMLOListElement): { id: string; seq: number } | undefined {
  const box = list.getBoundingClientRect();
  const rows = [...list.querySelectorAll('[data-kind="agent"][data-id]')].reverse();
  const onScreen = rows.find((row) => {
    const rect = row.getBoundingClientRect();
    return rect.bottom > box.top && rect.top < box.bottom;
  });
  const id = onScreen?.getAttribute('data-id');
  return onScreen && id ? { id, seq: Number(onScreen.getAttribute('data-seq')) } : undefined;
}
