import type { FlexGateway } from '../flex/flex-gateway.js';
import type { ErasureCounts, Session, Store } from '../store/store.js';
import type { Transcripts } from '../store/transcripts.js';
import { deleteUploadedFiles } from '../webchat/upload-cleanup.js';
import type { McsClient } from '../flex/mcs-client.js';

export interface ErasureDeps {
  store: Store;
  /** The web chat transcripts; a web chat customer's id is their visitor id. */
  transcripts?: Transcripts;
  /** Needed only to delete the customer's Twilio conversations too. */
  gateway?: Pick<FlexGateway, 'removeConversation'>;
  /** Deletes the customer's web chat uploads from the Media Content Service now; without it the middleware's cleanup does. */
  mcs?: Pick<McsClient, 'remove'>;
}

/** Counts only, never the data. */
export interface ErasureReport extends ErasureCounts {
  transcriptEvents: number;
  /** Post-chat surveys, with any answers not yet written to the task. */
  surveys: number;
  /** With Twilio: conversations deleted, and those Twilio no longer had. */
  twilio?: { deleted: number; alreadyGone: number };
  /** When they uploaded files: deleted now, already gone, or left to the cleanup's next pass. */
  uploads?: { deleted: number; alreadyGone: number; leftToCleanup: number };
}

/** Twilio did not delete a resource: nothing was erased from the store, so a later try finds the same SIDs. */
export class TwilioErasureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwilioErasureError';
  }
}

/**
 * Deletes everything held about one customer of one channel; with `withTwilio`, first the
 * Twilio conversations their sessions recorded, so that a failure there
 * leaves the SIDs in place for another try.
 */
export async function eraseCustomer(deps: ErasureDeps, channelType: string, customerId: string, withTwilio = false): Promise<ErasureReport> {
  let twilio: ErasureReport['twilio'];
  if (withTwilio) {
    if (!deps.gateway) throw new TwilioErasureError('deleting Twilio resources needs the Twilio configuration');
    twilio = await removeConversations(deps.gateway, await deps.store.listCustomerSessions(channelType, customerId));
  }
  const uploads = await eraseUploads(deps, channelType, customerId);
  const counts = await deps.store.eraseCustomer(channelType, customerId);
  const transcriptEvents = deps.transcripts ? await deps.transcripts.forget(channelType, customerId) : 0;
  const surveys = await deps.store.surveys.forgetCustomerSurveys(channelType, customerId);
  return { ...counts, transcriptEvents, surveys, ...(twilio ? { twilio } : {}), ...(uploads ? { uploads } : {}) };
}

/** The files the customer uploaded (used in a message or not); without MCS access, handed to the cleanup, no longer theirs. */
async function eraseUploads(deps: ErasureDeps, channelType: string, customerId: string): Promise<ErasureReport['uploads']> {
  if (!deps.mcs) {
    const leftToCleanup = await deps.store.releaseCustomerUploads(channelType, customerId);
    return leftToCleanup > 0 ? { deleted: 0, alreadyGone: 0, leftToCleanup } : undefined;
  }
  const uploads = await deps.store.listCustomerUploads(channelType, customerId);
  if (uploads.length === 0) return undefined;
  const { failed, ...counts } = await deleteUploadedFiles(deps.store, deps.mcs, uploads);
  if (failed > 0) throw new TwilioErasureError(`deleting ${failed} uploaded files failed; the middleware's data was kept, so trying again finds it`);
  return { ...counts, leftToCleanup: 0 };
}

/** A stored session of the removed flex-flow mode names a Chat channel: Conversations answers 404 for it, counted as already gone. */
async function removeConversations(gateway: NonNullable<ErasureDeps['gateway']>, sessions: Session[]): Promise<{ deleted: number; alreadyGone: number }> {
  const result = { deleted: 0, alreadyGone: 0 };
  const sids = new Set(sessions.flatMap((session) => (session.resources.conversationSid ? [session.resources.conversationSid] : [])));
  for (const sid of sids) {
    try {
      if ((await gateway.removeConversation(sid)) === 'deleted') result.deleted += 1;
      else result.alreadyGone += 1;
    } catch (error) {
      throw asErasureError(error, sid);
    }
  }
  return result;
}

/** Only Twilio's status and code: the library's transport errors carry the credentials. */
function asErasureError(error: unknown, sid: string): TwilioErasureError {
  if (error instanceof TwilioErasureError) return error;
  const { status, code } = error as { status?: unknown; code?: unknown };
  const answered =
    typeof status === 'number' ? `Twilio answered ${status}${typeof code === 'number' ? ` (error ${code})` : ''}` : 'Twilio could not be reached';
  return new TwilioErasureError(`deleting ${sid} failed: ${answered}; the middleware's data was kept, so trying again finds it`);
}
