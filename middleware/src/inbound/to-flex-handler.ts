import type { ChannelRuntime } from '../config/channels.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import { failureOf } from '../flex/twilio-errors.js';
import type { AttachmentPoster } from '../media/attachment-poster.js';
import type { Metrics } from '../observability/metrics.js';
import { permanent, transient } from '../outbox/failure.js';
import type { OutboxHandler } from '../outbox/outbox-worker.js';
import type { SessionEnder } from '../sessions/session-ender.js';
import type { InboundTimeRecorder } from '../sessions/inbound-times.js';
import type { SessionOpener } from '../sessions/session-opener.js';
import type { SurveyRunner } from '../survey/survey-runner.js';
import type { InboundPayload } from './inbound-payload.js';

export interface ToFlexHandlerDeps {
  channels: ReadonlyMap<string, ChannelRuntime>;
  gateway: FlexGateway;
  openSession: SessionOpener;
  endSession: SessionEnder;
  metrics: Metrics;
  /** Posts attachment entries; without it they fail (a build without media). */
  postAttachment?: AttachmentPoster;
  /** Takes the answers of a customer being surveyed, and writes them to the task. */
  survey?: Pick<SurveyRunner, 'takeAnswer' | 'writeAnswers'>;
  /** Handles the entries of agents starting a conversation (`agentStart`); without it they fail. */
  startByAgent?: OutboxHandler<InboundPayload>;
  /** Records when the customer last wrote, which some platforms' messaging windows run from. */
  recordInboundTime?: InboundTimeRecorder;
}

/**
 * Handles `to-flex` outbox entries (sendChatMessage): the customer's session, opened if
 * needed, then the message. A post refused because Flex already ended the session (and
 * its webhook has not arrived yet) ends it here and goes to a new session.
 */
export function createToFlexHandler(deps: ToFlexHandlerDeps): OutboxHandler<InboundPayload> {
  const { channels, gateway, openSession, endSession, metrics } = deps;
  return async (item, context) => {
    if (item.payload.agentStart) return deps.startByAgent ? deps.startByAgent(item, context) : permanent('this build does not start conversations for agents');
    const { channelType, customer, message } = item.payload;
    if (item.payload.survey) return deps.survey ? deps.survey.writeAnswers(item.payload.survey.sessionId) : { kind: 'done' };
    const channel = channels.get(channelType);
    if (!channel) return permanent(`channel ${channelType} is no longer configured`);
    if (deps.survey && !item.payload.attachment) {
      const answer = await deps.survey.takeAnswer(channel, customer.id, message);
      if (answer === 'answered') return { kind: 'done' };
      if (answer === 'changed_meanwhile') return transient('the survey changed while its answer was recorded');
    }

    for (let reopened = false; ; reopened = true) {
      let session;
      try {
        // The session the claim read along, on the first pass; once ended here, read afresh.
        session = await openSession(channel, customer, reopened ? {} : { found: item.activeSession });
        // A retry may follow an attempt that reached Twilio but whose answer was lost.
        if (item.payload.attachment) {
          if (!deps.postAttachment) return permanent('this build does not handle attachments');
          await deps.postAttachment(item, session, channel, context);
        } else {
          const alreadyPosted = item.attempts > 1 && (await gateway.wasPosted(session, message.externalId));
          if (!alreadyPosted) await gateway.postCustomerMessage(session, message);
          // A channel names the earlier message the customer took back (an unsend): Flex marks it.
          const { withdraws } = (message.attributes ?? {}) as { withdraws?: unknown };
          if (typeof withdraws === 'string') await gateway.markWithdrawn(session, withdraws);
        }
        // Recorded after the post: should it fail, the retry finds the message posted and records again.
        await deps.recordInboundTime?.(session, item.createdAt);
        metrics.messagesToFlex.inc({ channel: channelType, outcome: 'posted' });
        return { kind: 'done' };
      } catch (error) {
        const failure = failureOf(error);
        if (failure.kind === 'permanent' && session && !reopened && !(await gateway.isSessionOpen(session))) {
          await endSession(session);
          continue;
        }
        metrics.messagesToFlex.inc({ channel: channelType, outcome: failure.kind === 'permanent' ? 'failed' : 'retry' });
        return failure;
      }
    }
  };
}
