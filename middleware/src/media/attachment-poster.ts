import type { ChannelRuntime } from '../config/channels.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import type { InboundPayload } from '../inbound/inbound-payload.js';
import type { HandlingContext } from '../outbox/outbox-worker.js';
import type { OutboxItem, Session } from '../store/store.js';
import type { DownloadPool } from './download-pool.js';
import type { McsClient } from '../flex/mcs-client.js';
import type { PlatformFileLocator, PlatformFileSource } from './platform-files.js';
import { FailureError, permanent } from '../outbox/failure.js';
import type { DownloadedFile, DownloadRequest } from './safe-download.js';
import type { Spool } from './spool.js';

export interface AttachmentPosterDeps {
  gateway: FlexGateway;
  mcs: McsClient;
  spool: Spool;
  /** Turns for fetching, apart from the outbox's slots: a slow host holds up only its own attachments. */
  pool: DownloadPool;
  download(request: DownloadRequest): Promise<DownloadedFile>;
  /** The messengers' files (Telegram, LINE), when such channels are configured. */
  locatePlatformFile?: PlatformFileLocator;
}

/** How far an entry got in this process: a retry resumes from the last step that succeeded. */
interface Progress {
  file?: DownloadedFile;
  mediaSid?: string;
}

/**
 * Posts one attachment entry in three steps, each retried on its own: download to the spool,
 * upload to the Media Content Service, post the message naming it. A retry after an upload
 * reuses its MediaSid; after a crash the entry starts again from the download (the spool was
 * emptied), and `wasPosted` keeps the message from being posted twice.
 *
 * From the download on, the entry gives its outbox slot back and runs in a turn of the
 * download pool, keyed by the file's host; it stays claimed, so the customer's next message
 * still waits for it.
 */
export function createAttachmentPoster(deps: AttachmentPosterDeps) {
  const { gateway, mcs, spool } = deps;
  const progress = new Map<number, Progress>();

  const forget = async (id: number) => {
    const file = progress.get(id)?.file;
    progress.delete(id);
    if (file) await spool.discard(file.path);
  };

  const steps = async (item: OutboxItem<InboundPayload>, session: Session, channel: ChannelRuntime, state: Progress, context: HandlingContext) => {
    const { message, attachment } = item.payload;
    if (!attachment) throw new Error('not an attachment entry');
    if (!channel.media) throw new FailureError(permanent(`channel ${channel.channelType} no longer takes attachments`));
    if (item.attempts > 1 && (await gateway.wasPosted(session, message.externalId, attachment.index))) return;
    state.mediaSid ??= attachment.mediaSid;
    const post = (mediaSid: string) => gateway.postCustomerAttachment(session, message, { index: attachment.index, mediaSid });
    if (state.mediaSid) return post(state.mediaSid);
    const source = await sourceOf(attachment, channel);
    const media = channel.media;
    context.releaseSlot();
    // The turn lasts until the post, so the uploads waiting on Twilio are bounded too.
    await deps.pool.run(
      hostOf(source.url),
      async () => {
        state.file ??= await deps.download({ ...source, declaredType: attachment.contentType, channel: { ...channel, media }, path: spool.newFile() });
        const serviceSid = await gateway.mediaServiceSid(session);
        state.mediaSid = (await mcs.upload(serviceSid, { ...state.file, filename: attachment.filename })).sid;
        await spool.discard(state.file.path);
        state.file = undefined;
        await post(state.mediaSid);
      },
      context.stopping,
    );
  };

  const sourceOf = async (
    attachment: { url?: string; platformFileId?: string },
    channel: ChannelRuntime,
  ): Promise<PlatformFileSource & { onlyOrigin?: string }> => {
    if (attachment.url) return { url: attachment.url };
    if (!attachment.platformFileId) throw new FailureError(permanent('the attachment has neither a URL nor a Media SID'));
    if (!deps.locatePlatformFile) throw new FailureError(permanent(`channel ${channel.channelType} has no messenger to fetch its files from`));
    const source = await deps.locatePlatformFile(channel, attachment.platformFileId);
    return { ...source, onlyOrigin: new URL(source.url).origin };
  };

  return async (item: OutboxItem<InboundPayload>, session: Session, channel: ChannelRuntime, context: HandlingContext): Promise<void> => {
    const state = progress.get(item.id) ?? {};
    progress.set(item.id, state);
    try {
      await steps(item, session, channel, state, context);
      await forget(item.id);
    } catch (error) {
      if (!(error instanceof FailureError)) throw error;
      if (error.failure.kind === 'permanent') await forget(item.id);
      throw new FailureError({ ...error.failure, reason: `attachment ${item.payload.attachment?.index ?? '?'}: ${error.failure.reason}` });
    }
  };
}

/** The host (and port) whose turns a download takes; a URL that does not parse is refused by the download itself. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export type AttachmentPoster = ReturnType<typeof createAttachmentPoster>;
