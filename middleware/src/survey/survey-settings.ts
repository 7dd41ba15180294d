import type { ChannelDefinition } from '@custom-channels/contract';

export type SurveyQuestion = NonNullable<ChannelDefinition['survey']>['questions'][number];

/** A channel's post-chat survey, read from channels.json. */
export interface SurveySettings {
  questions: SurveyQuestion[];
  /** How long the customer has to answer each question. */
  timeoutMs: number;
  /** Sent after the last answer, if set. */
  thanksText?: string;
}

export const DEFAULT_SURVEY_TIMEOUT_SECONDS = 300;

/** Ratings and yes/no answers are numbers (Insights measures); free text goes in a text attribute. */
const KEY_FAMILY: Record<SurveyQuestion['kind'], string> = {
  rating: 'conversation_measure_',
  yes_no: 'conversation_measure_',
  text: 'conversation_attribute_',
};

/** The survey of a channel definition, with what the schema cannot say checked here. */
export function resolveSurvey(definition: ChannelDefinition, label: string, problems: string[]): SurveySettings | undefined {
  const survey = definition.survey;
  if (!survey) return undefined;
  const seen = new Set<string>();
  survey.questions.forEach((question, index) => {
    const where = `${label}: survey question ${index + 1}`;
    if (!question.insightsKey.startsWith(KEY_FAMILY[question.kind])) {
      problems.push(`${where}: a ${question.kind} answer goes under ${KEY_FAMILY[question.kind]}N, not ${question.insightsKey}`);
    }
    if (seen.has(question.insightsKey)) problems.push(`${where}: ${question.insightsKey} is already used by an earlier question`);
    seen.add(question.insightsKey);
  });
  return {
    questions: survey.questions,
    timeoutMs: (survey.timeoutSeconds ?? DEFAULT_SURVEY_TIMEOUT_SECONDS) * 1000,
    ...(survey.thanksText ? { thanksText: survey.thanksText } : {}),
  };
}
