import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type ReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newSid } from '../sids.js';

/** One file in the Media Content Service. Bytes live on disk, never whole in memory. */
export interface MediaItem {
  sid: string;
  serviceSid: string;
  contentType: string;
  filename: string | null;
  size: number;
  author: string;
  channelSid: string | null;
  messageSid: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  path: string;
}

export class MediaTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Media exceeds the ${limit} byte limit`);
  }
}

export interface MediaStoreOptions {
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** How long a `content_direct_temporary` URL works, in seconds. */
  directUrlTtlSeconds: number;
  /** Signs the temporary URLs. */
  signingKey: string;
}

/** The stand-in's media files: a temporary folder removed on close. */
export class MediaStore {
  private readonly items = new Map<string, MediaItem>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'sandbox-mcs-'));

  constructor(readonly options: MediaStoreOptions) {}

  get(sid: string): MediaItem | undefined {
    return this.items.get(sid);
  }

  /** Writes the stream to disk, stopping with MediaTooLargeError once it passes the limit. */
  async create(input: { serviceSid: string; contentType: string; filename: string | null; author: string; bytes: Readable }): Promise<MediaItem> {
    const { bytes, ...meta } = input;
    const sid = newSid('ME');
    const path = join(this.dir, sid);
    let size = 0;
    const limit = this.options.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(size > limit ? new MediaTooLargeError(limit) : null, chunk);
      },
    });
    try {
      await pipeline(bytes, counter, createWriteStream(path));
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
    const now = new Date();
    const item: MediaItem = { ...meta, sid, path, size, channelSid: null, messageSid: null, dateCreated: now, dateUpdated: now };
    this.items.set(sid, item);
    return item;
  }

  /** Records the message a file was sent with (a file belongs to one message). */
  attach(item: MediaItem, channelSid: string, messageSid: string): void {
    item.channelSid = channelSid;
    item.messageSid = messageSid;
    item.dateUpdated = new Date();
  }

  /** Deletes the file and its bytes; a message that named it keeps only its description. */
  async remove(item: MediaItem): Promise<void> {
    this.items.delete(item.sid);
    await unlink(item.path).catch(() => undefined);
  }

  open(item: MediaItem): ReadStream {
    return createReadStream(item.path);
  }

  /** The query of a credential-free URL for the file, valid for the configured time. */
  signedQuery(sid: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.options.directUrlTtlSeconds;
    return `Expires=${expires}&Signature=${this.sign(sid, expires)}`;
  }

  /** Whether a temporary URL's query is genuine and not expired. */
  verifyQuery(sid: string, expires: string | undefined, signature: string | undefined, now = Date.now()): boolean {
    if (!expires || !signature || !/^\d+$/.test(expires) || Number(expires) * 1000 < now) return false;
    const expected = Buffer.from(this.sign(sid, Number(expires)));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private sign(sid: string, expires: number): string {
    return createHmac('sha256', this.options.signingKey).update(`${sid}:${expires}`).digest('base64url');
  }
}
