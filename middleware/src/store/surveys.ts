/**
 * The post-chat surveys in progress and just finished, so that a restart resumes each where it
 * was: the question awaiting an answer, the answers so far (personal data: kept only until
 * they are written to the task, then for the transcripts' retention), and which customer
 * message gave the latest answer, so its redelivery records nothing twice.
 */

/** `asking` until every question is answered or the time is up, `writing` until the task holds the answers, then `closed`. */
export type SurveyState = 'asking' | 'writing' | 'closed';

export interface SurveyAnswer {
  /** The question's place in the channel's survey, from 0. */
  question: number;
  value: number | string;
}

export interface StoredSurvey {
  /** The session the agent ended: one survey per session. */
  sessionId: string;
  channelType: string;
  customerId: string;
  conversationSid: string;
  /** When the agent ended the chat and the survey began. */
  startedAt: number;
  state: SurveyState;
  /** The question awaiting an answer. */
  next: number;
  answers: SurveyAnswer[];
  /** The customer message that gave the latest answer. */
  lastMessageId?: string;
  /** Every question answered (the customer is thanked), as opposed to timed out. */
  completed: boolean;
  /** While asking: when it gives up; once closed: when it closed. */
  deadline: number;
  /** Counts the changes, for compare-and-set. */
  revision: number;
}

export interface SurveyRecords {
  /** Stores a new survey at revision 0; false when the session already has one. */
  createSurvey(survey: StoredSurvey): Promise<boolean>;
  getSurvey(sessionId: string): Promise<StoredSurvey | undefined>;
  /** The customer's latest survey on that channel (the one started last), whatever its state. */
  findLatestSurvey(channelType: string, customerId: string): Promise<StoredSurvey | undefined>;
  /** Replaces the survey with `survey` at revision + 1 if it is still at `revision`; false otherwise. */
  updateSurvey(survey: StoredSurvey, revision: number): Promise<boolean>;
  /** Surveys asking past their deadline, and those waiting for their answers to be written; oldest deadline first. */
  listDueSurveys(now: number, limit: number): Promise<StoredSurvey[]>;
  /** Deletes every survey of the customer on that channel; how many. */
  forgetCustomerSurveys(channelType: string, customerId: string): Promise<number>;
  /** Deletes surveys closed before `closedBefore`; how many. */
  pruneClosedSurveys(closedBefore: number): Promise<number>;
}
