/**
 * Flex's own components for one task, each in the task's context: what an agent and a
 * supervisor see of a task. Runs in the browser.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import { inTask } from './flex-runtime.js';

const h = React.createElement;

export interface FlexComponent {
  /** A stable name, also the element's data-component. */
  name: string;
  label: string;
  component: unknown;
}

const Supervisor = (Flex as unknown as { Supervisor: Record<string, unknown> }).Supervisor;

export const INCOMING_TASK_CANVAS: FlexComponent = { name: 'incoming-task-canvas', label: 'Incoming task canvas', component: Flex.IncomingTaskCanvas };
export const TASK_CANVAS_HEADER: FlexComponent = { name: 'task-canvas-header', label: 'Task canvas header', component: Flex.TaskCanvasHeader };

export const SUPERVISOR_COMPONENTS: FlexComponent[] = [
  { name: 'task-card', label: 'Task card (Teams view)', component: (Flex as unknown as Record<string, unknown>).TaskCard },
  { name: 'supervisor-task-canvas-header', label: 'Supervisor task canvas header', component: Supervisor.TaskCanvasHeader },
  { name: 'supervisor-task-overview', label: 'Supervisor task overview', component: Supervisor.TaskOverviewCanvas },
];

/** One labelled Flex component for a task. */
export function FlexPart({ task, part }: { task: Flex.ITask; part: FlexComponent }): React.ReactElement {
  return h(
    'figure',
    { className: 'flex-part', 'data-component': part.name, 'data-sid': task.sid },
    h('figcaption', null, part.label),
    h('div', { className: 'flex-part-body' }, inTask(task, part.component)),
  );
}
