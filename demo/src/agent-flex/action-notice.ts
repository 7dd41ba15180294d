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
  return `${LABELS[outcome.action] ?? outcome.action} failed: ${outcome.error.message}`;
}
