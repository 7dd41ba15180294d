import type { ITask } from '@twilio/flex-ui';

/** TaskRouter's assignment status of a task, as the stand-in reports it. */
export type AssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';

/** What a task looks like in the stand-in's control API (GET /sandbox/tasks). */
export interface TaskView {
  sid: string;
  assignmentStatus: AssignmentStatus;
  attributes: Record<string, unknown>;
  taskChannelUniqueName: string;
  agent?: string | null;
  /** The worker the task is assigned to, its queue, and the task it was transferred from. */
  workerSid?: string | null;
  taskQueueSid?: string | null;
  transferredFrom?: string | null;
  priority?: number;
  dateCreated: string;
  dateUpdated: string;
}

/** The agent's reservation status Flex reads (`task.status`) for each assignment status. */
const RESERVATION_STATUS: Record<AssignmentStatus, string> = {
  pending: 'pending',
  reserved: 'pending',
  assigned: 'accepted',
  wrapping: 'wrapping',
  completed: 'completed',
  canceled: 'canceled',
};

/**
 * The task as Flex hands it to its components: Flex's ITask fields for a task of the
 * stand-in. Flex derives `channelType` from the attributes (a getter in real Flex).
 */
export function flexTask(view: TaskView, now = Date.now()): ITask {
  const attributes = view.attributes;
  const created = new Date(view.dateCreated);
  const channelType = typeof attributes.channelType === 'string' ? attributes.channelType : view.taskChannelUniqueName;
  const from = typeof attributes.from === 'string' ? attributes.from : typeof attributes.name === 'string' ? attributes.name : '';
  return {
    sid: view.sid,
    taskSid: view.sid,
    sourceObject: {},
    taskChannelUniqueName: view.taskChannelUniqueName,
    channelType,
    attributes,
    status: RESERVATION_STATUS[view.assignmentStatus],
    taskStatus: view.assignmentStatus === 'pending' ? 'reserved' : view.assignmentStatus,
    age: Math.max(0, Math.round((now - created.getTime()) / 1000)),
    dateCreated: created,
    dateUpdated: new Date(view.dateUpdated),
    queueName: 'Everyone',
    priority: view.priority ?? 0,
    defaultFrom: from,
  } as unknown as ITask;
}
