import type { FlexGateway } from '../flex/flex-gateway.js';
import { postNoticeOnce } from '../flex/post-notice-once.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';

export interface UnreachableNoticeDeps {
  store: Pick<Store, 'findActiveSession'>;
  gateway: Pick<FlexGateway, 'wasPosted' | 'postSystemNotice' | 'isSessionOpen'>;
  logger: Logger;
  hashForLog: LogHasher;
}

/**
 * Tells the agent of the customer's open conversation that the platform cannot reach the
 * customer any more (they unsubscribed, a message failed), so a reply is not written into
 * the void. Without an open conversation there is no one to tell. Best effort: the platform's
 * callback is answered either way, and a post that fails is logged.
 */
export function createUnreachableNotifier(deps: UnreachableNoticeDeps) {
  return async (channelType: string, customerId: string, notice: { id: string; text: string }): Promise<void> => {
    try {
      const session = await deps.store.findActiveSession(channelType, customerId);
      if (session?.state !== 'open') return;
      await postNoticeOnce(deps.gateway, session, { id: notice.id, kind: 'customer_unreachable', text: `${notice.text}: a reply will not reach them.` });
    } catch (error) {
      deps.logger.warn({ err: error, channel: channelType, customer: deps.hashForLog(customerId) }, 'notice of an unreachable customer not posted');
    }
  };
}
