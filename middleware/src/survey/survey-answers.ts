import type { StoredSurvey } from '../store/surveys.js';
import type { SurveyQuestion } from './survey-settings.js';

const YES = new Set(['yes', 'y']);
const NO = new Set(['no', 'n']);

/** The answer a customer's message gives to the question, or undefined when it does not answer it. */
export function readAnswer(question: SurveyQuestion, text: string): number | string | undefined {
  const reply = text.trim();
  if (question.kind === 'rating') return /^[1-5]$/.test(reply) ? Number(reply) : undefined;
  if (question.kind === 'yes_no') {
    const word = reply.toLowerCase().replace(/[.!]+$/, '');
    if (YES.has(word)) return 1;
    if (NO.has(word)) return 0;
    return undefined;
  }
  return reply.length > 0 ? reply : undefined;
}

/** The answers as Flex Insights reads them: the `conversations` task attributes the questions name. */
export function insightsValues(survey: StoredSurvey, questions: SurveyQuestion[]): Record<string, number | string> {
  const values: Record<string, number | string> = {};
  for (const answer of survey.answers) {
    const question = questions[answer.question];
    if (question) values[question.insightsKey] = answer.value;
  }
  return values;
}
