/**
 * Flex's own task actions, replaced so that they drive the stand-in: Flex's accept and
 * reject buttons, "End chat", "Complete" and transfers go through Flex.Actions, as in Flex,
 * and reach the stand-in's TaskRouter through the demo's API as the signed-in worker.
 */
import * as Flex from '@twilio/flex-ui';
import type { ControlApi, TaskAction } from './control-api.js';

export interface ActionOutcome {
  action: string;
  taskSid: string;
  error?: Error;
}

interface TaskPayload {
  sid?: string;
  task?: { sid?: string; taskSid?: string };
  targetSid?: string;
  options?: { mode?: string };
}

const FLEX_ACTIONS: Record<string, TaskAction> = {
  AcceptTask: 'accept',
  RejectTask: 'reject',
  WrapupTask: 'wrapup',
  CompleteTask: 'complete',
  TransferTask: 'transfer',
};

function bodyFor(action: TaskAction, payload: TaskPayload, workerSid: string): unknown {
  if (action === 'transfer') return { targetSid: payload.targetSid, mode: payload.options?.mode === 'WARM' ? 'WARM' : 'COLD' };
  return action === 'accept' || action === 'reject' ? { worker: workerSid } : {};
}

/** Replaces Flex's task actions; `onDone` hears of each one, with its error if the stand-in refused it. */
export function wireFlexActions(api: ControlApi, workerSid: string, onDone: (outcome: ActionOutcome) => void): void {
  for (const [flexAction, action] of Object.entries(FLEX_ACTIONS)) {
    Flex.Actions.replaceAction(flexAction as never, async (payload: TaskPayload) => {
      const taskSid = payload.task?.sid ?? payload.task?.taskSid ?? payload.sid ?? '';
      try {
        await api.act(taskSid, action, bodyFor(action, payload, workerSid));
        onDone({ action: flexAction, taskSid });
      } catch (error) {
        onDone({ action: flexAction, taskSid, error: error as Error });
      }
    });
  }
}

/**
 * Flex's SendMediaMessage (the plugin's attach button in the message input) sends through the
 * Conversations SDK, which the stand-in does not speak: the file goes as the demo's Attach file sends it.
 */
export function wireMediaAction(upload: (taskSid: string, file: File) => Promise<unknown>, taskOf: (conversationSid: string) => Flex.ITask | undefined): void {
  Flex.Actions.replaceAction('SendMediaMessage' as never, async (payload: { conversationSid?: string; file?: File }) => {
    const task = payload.conversationSid ? taskOf(payload.conversationSid) : undefined;
    if (!task || !payload.file) throw new Error('no task of the agent view has this conversation');
    await upload(task.taskSid, payload.file);
  });
}
