import type { MessageFrame } from '../../src/webchat/protocol.js';

/** A file as the upload answered it, quoted back in the message frame. */
export type UploadedFile = NonNullable<MessageFrame['media']>[number];
/** An uploaded file of a message not yet acknowledged; `preview` is a local picture, never sent nor kept. */
export type PendingFile = UploadedFile & { preview?: string };

/** What the browser remembers of its visitor. */
export interface Profile {
  token?: string;
  visitorId?: string;
  epoch?: string;
  name?: string;
}

/** A message not yet acknowledged: kept across reloads and sent again with the same id. */
export interface PendingMessage {
  id: string;
  text: string;
  name: string;
  /** Messages kept from before the time was stored have none. */
  at?: number;
  media?: PendingFile[];
  /** An option of an agent's rich message the visitor tapped (then `text` is what it reads as). */
  selection?: { id: string; title: string };
  /** A place the visitor shared (then `text` is what it reads as). */
  location?: { latitude: number; longitude: number };
}

function load<T>(key: string, fallback: T): T {
  try {
    const value = window.localStorage.getItem(key);
    return value ? JSON.parse(value) : fallback;
  } catch {
    return fallback;
  }
}

function save(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode: the chat still works for this page.
  }
}

export function loadProfile(storageKey: string): Profile {
  return load<Profile>(storageKey, {});
}

export function saveProfile(storageKey: string, profile: Profile): void {
  save(storageKey, profile);
}

export function loadPending(storageKey: string): PendingMessage[] {
  return load<PendingMessage[]>(`${storageKey}:pending`, []);
}

export function savePending(storageKey: string, pending: PendingMessage[]): void {
  save(
    `${storageKey}:pending`,
    pending.map(({ id, text, name, at, media }) => ({ id, text, name, at, media: media?.map(({ preview: _preview, ...file }) => file) })),
  );
}
