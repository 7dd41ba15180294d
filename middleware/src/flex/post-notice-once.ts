import type { Session } from '../store/store.js';
import type { FlexGateway, SystemNotice } from './flex-gateway.js';

/**
 * Posts a notice for the agent once: a retry after a lost answer finds the first post. A session
 * Twilio has closed has no agent left to tell, so a post refused there is not an error.
 */
export async function postNoticeOnce(
  gateway: Pick<FlexGateway, 'wasPosted' | 'postSystemNotice' | 'isSessionOpen'>,
  session: Session,
  notice: SystemNotice,
): Promise<'posted' | 'already_posted' | 'session_closed'> {
  if (await gateway.wasPosted(session, notice.id)) return 'already_posted';
  try {
    await gateway.postSystemNotice(session, notice);
    return 'posted';
  } catch (error) {
    if (await gateway.isSessionOpen(session)) throw error;
    return 'session_closed';
  }
}
