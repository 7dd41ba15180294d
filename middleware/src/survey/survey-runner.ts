import type { ChannelRuntime } from '../config/channels.js';
import type { DeliveryPayload } from '../delivery/channel-events.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import { failureOf } from '../flex/twilio-errors.js';
import type { InboundPayload } from '../inbound/inbound-payload.js';
import type { Logger } from '../observability/logger.js';
import type { HandlingOutcome, QueueEntry } from '../outbox/outbox-worker.js';
import { OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import { customerOrderingKey, type Session, type Store } from '../store/store.js';
import type { StoredSurvey } from '../store/surveys.js';
import { insightsValues, readAnswer } from './survey-answers.js';
import type { SurveySettings } from './survey-settings.js';

/** The author the survey's messages carry to the channel. */
export const SURVEY_AUTHOR = 'survey';

export interface SurveyRunnerDeps {
  store: Store;
  channels: ReadonlyMap<string, ChannelRuntime>;
  gateway: Pick<FlexGateway, 'writeTaskInsights'>;
  logger: Logger;
  queueEntry: QueueEntry;
  now?: () => number;
}

/** A customer message during a survey: an answer recorded (or recorded before), or not the survey's. */
export type AnswerOutcome = 'answered' | 'not_surveyed' | 'changed_meanwhile';

export interface SurveyRunner {
  /** Begins the channel's survey for a session Flex ended; calling it again asks nothing twice. */
  start(session: Session): Promise<void>;
  /** Takes the customer's message as the answer to the survey's current question, if they are being surveyed. */
  takeAnswer(channel: ChannelRuntime, customerId: string, message: InboundPayload['message']): Promise<AnswerOutcome>;
  /** Handles a `to-flex` entry that writes a survey's answers to its task. */
  writeAnswers(sessionId: string): Promise<HandlingOutcome>;
  /** Closes surveys past their time and queues again the writes a crash may have kept from being queued. */
  sweep(limit: number): Promise<{ timedOut: number; requeued: number }>;
}

/**
 * Runs each channel's post-chat survey over the channel, after Flex closed the conversation.
 * Every step is a compare-and-set on the stored survey followed by outbox entries with dedupe
 * keys: a crash between the two is repaired by doing the step again, which queues only what
 * is missing. Answers are never logged.
 */
export function createSurveyRunner(deps: SurveyRunnerDeps): SurveyRunner {
  const { store, channels, logger, queueEntry } = deps;
  const now = deps.now ?? Date.now;
  const settingsOf = (channelType: string): SurveySettings | undefined => channels.get(channelType)?.survey;

  const sendToCustomer = (survey: StoredSurvey, id: string, text: string) => {
    const payload: DeliveryPayload = {
      version: OUTBOX_PAYLOAD_VERSION,
      channelType: survey.channelType,
      event: { type: 'message', id, conversationSid: survey.conversationSid, to: { id: survey.customerId }, author: SURVEY_AUTHOR, text },
    };
    return queueEntry({ queue: 'to-channel', orderingKey: survey.sessionId, payload }, [`survey-message:${id}`]);
  };

  /** What the survey's state calls for, queued once however often this runs. */
  const followUp = async (survey: StoredSurvey, settings: SurveySettings | undefined) => {
    if (survey.state === 'asking') {
      const question = settings?.questions[survey.next];
      if (question) await sendToCustomer(survey, `survey:${survey.sessionId}:${survey.next}`, question.text);
    } else if (survey.state === 'writing') {
      if (survey.completed && settings?.thanksText) await sendToCustomer(survey, `survey:${survey.sessionId}:thanks`, settings.thanksText);
      const payload: InboundPayload = {
        version: OUTBOX_PAYLOAD_VERSION,
        channelType: survey.channelType,
        customer: { id: survey.customerId, name: '' },
        message: { externalId: `survey:${survey.sessionId}:answers`, text: '' },
        survey: { sessionId: survey.sessionId },
      };
      await queueEntry({ queue: 'to-flex', orderingKey: customerOrderingKey(survey.channelType, survey.customerId), payload }, [
        `survey-answers:${survey.sessionId}`,
      ]);
    }
  };

  /** Ends the survey before its last question: what was answered is still written, nothing more is sent. */
  const stopAsking = async (survey: StoredSurvey, settings: SurveySettings | undefined): Promise<boolean> => {
    const writing = survey.answers.length > 0;
    const stopped: StoredSurvey = writing ? { ...survey, state: 'writing' } : { ...survey, state: 'closed', answers: [], deadline: now() };
    if (!(await store.surveys.updateSurvey(stopped, survey.revision))) return false;
    if (writing) await followUp({ ...stopped, revision: survey.revision + 1 }, settings);
    return true;
  };

  return {
    async start(session) {
      const settings = settingsOf(session.channelType);
      const conversationSid = session.resources.conversationSid;
      if (!settings || !conversationSid) return;
      // Nobody to rate: the customer left waiting in the queue until the conversation closed.
      if (session.resources.agentJoinedAt === undefined) return;
      // The customer already chats again (their message reached a closed conversation and opened a new one): no survey.
      const active = await store.findActiveSession(session.channelType, session.customerId);
      if (active && active.id !== session.id) return;
      const startedAt = now();
      await store.surveys.createSurvey({
        sessionId: session.id,
        channelType: session.channelType,
        customerId: session.customerId,
        conversationSid,
        startedAt,
        state: 'asking',
        next: 0,
        answers: [],
        completed: false,
        deadline: startedAt + settings.timeoutMs,
        revision: 0,
      });
      // The survey as stored: this start's, or an earlier one's that a redelivered webhook repeats.
      const survey = await store.surveys.getSurvey(session.id);
      if (survey) await followUp(survey, settings);
    },

    async takeAnswer(channel, customerId, message) {
      const settings = channel.survey;
      if (!settings) return 'not_surveyed';
      const survey = await store.surveys.findLatestSurvey(channel.channelType, customerId);
      if (!survey) return 'not_surveyed';
      // Handled before (a retry after a crash): only what may not have been queued is queued.
      if (survey.lastMessageId === message.externalId) {
        await followUp(survey, settings);
        return 'answered';
      }
      if (survey.state !== 'asking') return 'not_surveyed';
      const question = settings.questions[survey.next];
      const value = question && survey.deadline > now() ? readAnswer(question, message.text) : undefined;
      // Too late, or not an answer (the customer wants to chat again): the survey stops, the message goes to Flex.
      if (value === undefined) return (await stopAsking(survey, settings)) ? 'not_surveyed' : 'changed_meanwhile';
      const next = survey.next + 1;
      const last = next >= settings.questions.length;
      const answered: StoredSurvey = {
        ...survey,
        answers: [...survey.answers, { question: survey.next, value }],
        next,
        lastMessageId: message.externalId,
        state: last ? 'writing' : 'asking',
        completed: last,
        deadline: last ? survey.deadline : now() + settings.timeoutMs,
      };
      if (!(await store.surveys.updateSurvey(answered, survey.revision))) return 'changed_meanwhile';
      await followUp({ ...answered, revision: survey.revision + 1 }, settings);
      return 'answered';
    },

    async writeAnswers(sessionId) {
      const survey = await store.surveys.getSurvey(sessionId);
      // Closed already, or erased: nothing to write.
      if (!survey || survey.state !== 'writing') return { kind: 'done' };
      const settings = settingsOf(survey.channelType);
      let outcome: 'written' | 'no_task' | 'not_configured' = 'not_configured';
      if (settings) {
        try {
          outcome = await deps.gateway.writeTaskInsights(survey.conversationSid, insightsValues(survey, settings.questions));
        } catch (error) {
          return failureOf(error);
        }
      }
      // Once in the task, the answers are not kept here: the record only remembers the survey happened.
      const closed: StoredSurvey = { ...survey, state: 'closed', answers: [], deadline: now() };
      if (!(await store.surveys.updateSurvey(closed, survey.revision))) return { kind: 'done' };
      const log = { sessionId, channel: survey.channelType, answers: survey.answers.length, completed: survey.completed, outcome };
      if (outcome === 'written') logger.info(log, 'survey answers written to the task');
      else logger.warn(log, 'survey answers not written: no task names the conversation, or the channel has no survey any more');
      return { kind: 'done' };
    },

    async sweep(limit) {
      const counts = { timedOut: 0, requeued: 0 };
      for (const survey of await store.surveys.listDueSurveys(now(), limit)) {
        const settings = settingsOf(survey.channelType);
        if (survey.state === 'asking') {
          if (await stopAsking(survey, settings)) counts.timedOut += 1;
        } else {
          await followUp(survey, settings);
          counts.requeued += 1;
        }
      }
      return counts;
    },
  };
}
