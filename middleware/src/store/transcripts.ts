import type { VisitorEvent } from '../webchat/protocol.js';

export interface TranscriptEntry {
  seq: number;
  event: VisitorEvent;
}

export interface TranscriptPage {
  limit: number;
  maxBytes: number;
}

/** Hears every event appended by any instance, in each visitor's `seq` order. */
export interface TranscriptListener {
  onEvent(channelType: string, visitorId: string, entry: TranscriptEntry): void;
  /** The subscription was re-established after a drop: events published meanwhile were missed. */
  onResubscribed(): void;
}

/**
 * Each web chat visitor's transcript: their messages, the agents' and the ends of their
 * chats, numbered 1, 2, 3... per visitor. A delivery is written here before it is pushed
 * to the visitor's sockets, so a visitor who was offline catches up on reconnect by
 * asking for everything after the last number they saw.
 */
export interface Transcripts {
  /** A random id of these transcripts, created with them: a browser holding numbers from another store starts over. */
  epoch(): Promise<string>;
  /**
   * Present when appending also tells every instance (Redis pub/sub): the caller must then not
   * push the entry to local sockets itself, the listener does, in `seq` order.
   */
  subscribe?(listener: TranscriptListener): Promise<void>;
  /** Appends an event once per (visitor, key); appending the same key again returns the first entry. */
  append(channelType: string, visitorId: string, key: string, event: VisitorEvent): Promise<TranscriptEntry & { created: boolean }>;
  /** Events after `afterSeq`, oldest first; at most `limit` (the most recent ones when there are more). */
  read(channelType: string, visitorId: string, afterSeq: number, limit: number): Promise<TranscriptEntry[]>;
  /**
   * The next events after `afterSeq`, oldest first: at most `page.limit`, and none more once
   * their stored size reaches `page.maxBytes` (at least one). A socket catching up reads
   * its history page by page, each no larger than the room left in its send buffer.
   */
  readPage(channelType: string, visitorId: string, afterSeq: number, page: TranscriptPage): Promise<TranscriptEntry[]>;
  /** Whether the visitor has an event appended under `key`. */
  has(channelType: string, visitorId: string, key: string): Promise<boolean>;
  /** The visitor's last number (0 before their first event); kept when their events are pruned or forgotten. */
  lastSeq(channelType: string, visitorId: string): Promise<number>;
  /**
   * Forgets events logged before `before` (epoch ms), returns how many. Each visitor's
   * numbering carries on where it was: the last number is kept, not the content.
   */
  prune(before: number): Promise<number>;
  /**
   * Forgets one visitor's transcript (erasure); returns how many events. Their last number
   * stays: a browser still holding their token must not miss the next messages.
   */
  forget(channelType: string, visitorId: string): Promise<number>;
}
