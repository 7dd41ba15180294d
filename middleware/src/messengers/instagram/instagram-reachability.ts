import { durationText, type FirstContact, type FirstContactRule, neverContacted } from '../first-contact.js';
import { HUMAN_AGENT_OPTION } from './instagram-options.js';

const HOUR = 3_600_000;
/** Meta's standard messaging window, from the customer's last message. */
const STANDARD_WINDOW = { ms: 24 * HOUR, name: "Instagram's 24-hour window" };
/** With the HUMAN_AGENT tag a person may answer for 7 days. */
const HUMAN_AGENT_WINDOW = { ms: 7 * 24 * HOUR, name: "Instagram's 7-day human agent window" };

/**
 * Instagram lets a business write to someone only within a window after their last message: 24
 * hours, 7 days for a person when the channel uses the HUMAN_AGENT tag. Refused here rather than
 * accepted and failed at delivery.
 */
export const instagramReachability: FirstContactRule = (customer, { channel, now }): FirstContact => {
  if (!customer)
    return neverContacted('this Instagram account has never written to the business: Instagram lets a business write only to people who messaged it');
  const window = channel.options?.[HUMAN_AGENT_OPTION] === 'true' ? HUMAN_AGENT_WINDOW : STANDARD_WINDOW;
  if (customer.lastInboundAt === undefined) {
    return {
      reachable: false,
      reason: 'outside_messaging_window',
      message: `cannot be reached now: no message from them is on record, and ${window.name} runs from their last one`,
    };
  }
  const since = now - customer.lastInboundAt;
  if (since >= window.ms) {
    return {
      reachable: false,
      reason: 'outside_messaging_window',
      message: `cannot be reached now: last message ${durationText(since)} ago, outside ${window.name}`,
    };
  }
  return { reachable: true, notice: `within ${window.name}: ${durationText(window.ms - since)} left` };
};
