import { ControlApiError } from './control-api.js';
import type { ActionOutcome } from './flex-actions.js';

const LABELS: Record<string, string> = {
  AcceptTask: 'Accept',
  RejectTask: 'Reject',
  WrapupTask: 'End chat (wrap-up)',
  CompleteTask: 'Complete',
  TransferTask: 'Transfer',
};

/** What the agent reads when the stand-in refused a Flex action; nothing when it went through. */
export function actionNotice(outcome: ActionOutcome): string | undefined {
  if (!outcome.error) return undefined;
  const label = LABELS[outcome.action] ?? outcome.action;
  if (outcome.error instanceof ControlApiError && outcome.error.unsupported) {
    return `${label} is not available: this stand-in does not offer it yet.${outcome.action === 'WrapupTask' ? ' Use Complete to end the task.' : ''}`;
  }
  return `${label} failed: ${outcome.error.message}`;
}
