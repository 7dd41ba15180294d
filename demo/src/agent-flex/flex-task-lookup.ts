/**
 * Flex finds a conversation's task in the TaskRouter SDK's state, which the stand-in does not
 * feed. The plugin asks `Flex.TaskHelper.getTaskFromConversationSid` which channel a message
 * input or a message bubble belongs to, so the demo answers from the tasks it polls.
 */
import * as Flex from '@twilio/flex-ui';

let known: readonly Flex.ITask[] = [];

/** The tasks the agent view shows now. */
export function showTasks(tasks: readonly Flex.ITask[]): void {
  known = tasks;
}

/** The task of a conversation, among those the agent view shows. */
export function taskOfConversation(conversationSid: string): Flex.ITask | undefined {
  return known.find((task) => task.attributes?.conversationSid === conversationSid);
}

/** Replaces Flex's lookup once, as the demo replaces Flex's task actions. */
export function answerTaskLookups(): void {
  Object.assign(Flex.TaskHelper, {
    getTaskFromConversationSid: taskOfConversation,
  });
}
