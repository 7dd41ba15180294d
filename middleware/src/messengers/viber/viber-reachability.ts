import { durationText, type FirstContact, type FirstContactRule, neverContacted } from '../first-contact.js';

/**
 * Viber lets a bot write only to its subscribers. A user subscribes by writing to the bot (no
 * callback then) or with `subscribed`, and leaves with `unsubscribed`: the latest of these counts.
 */
export const viberReachability: FirstContactRule = (customer, { now }): FirstContact => {
  if (!customer) return neverContacted('this Viber user has never written to the bot: Viber lets a bot write only to its subscribers');
  const { subscription, lastInboundAt } = customer;
  const wroteSince = subscription !== undefined && lastInboundAt !== undefined && lastInboundAt > subscription.at;
  if (subscription && !subscription.subscribed && !wroteSince) {
    return {
      reachable: false,
      reason: 'not_subscribed',
      message: `cannot be reached now: they unsubscribed from the bot ${durationText(now - subscription.at)} ago, and Viber lets a bot write only to its subscribers`,
    };
  }
  return { reachable: true };
};
