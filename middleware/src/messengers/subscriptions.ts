import type { Store, CustomerSubscription } from '../store/store.js';

/**
 * Keeps a platform's report of a customer's subscription on their latest session, where the
 * platform's rule for writing first reads it; an older report than the one kept changes nothing.
 * A customer the kit has no session with is not known to agents, so there is nothing to keep.
 */
export function createSubscriptionRecorder(store: Pick<Store, 'listCustomerSessions' | 'recordSessionResources'>) {
  return async (channelType: string, customerId: string, subscription: CustomerSubscription): Promise<void> => {
    const latest = (await store.listCustomerSessions(channelType, customerId)).at(-1);
    if (!latest || (latest.resources.subscription && latest.resources.subscription.at >= subscription.at)) return;
    await store.recordSessionResources(latest.id, { subscription });
  };
}
