/**
 * The preview: Flex's components for example tasks of each configured channel in every
 * status, beside Flex's own web and SMS channels, with the built plugin. No middleware.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import { inTask, renderInFlex, startFlex } from './flex-runtime.js';
import { EXAMPLE_STATUSES, exampleTasks, type ExampleTask } from './example-tasks.js';
import { FlexPart, INCOMING_TASK_CANVAS, SUPERVISOR_COMPONENTS, TASK_CANVAS_HEADER } from './task-components.js';

const h = React.createElement;

function perTask(examples: ExampleTask[], classes: { section: string; item: string }, component: unknown): React.ReactElement {
  return h(
    'section',
    { className: classes.section },
    examples.map((example) =>
      h(
        'div',
        { key: example.task.sid, className: classes.item, 'data-channel': example.channelType, 'data-status': example.status },
        inTask(example.task, component),
      ),
    ),
  );
}

/** Per channel, the incoming canvas of a reserved task, then the other parts of an accepted one. */
function ChannelParts({ examples }: { examples: ExampleTask[] }): React.ReactElement {
  const byStatus = (status: string) => examples.find((example) => example.status === status)?.task;
  const incoming = byStatus('reserved');
  const accepted = byStatus('assigned');
  const parts = [
    ...(incoming ? [{ task: incoming, part: INCOMING_TASK_CANVAS }] : []),
    ...(accepted ? [TASK_CANVAS_HEADER, ...SUPERVISOR_COMPONENTS].map((part) => ({ task: accepted, part })) : []),
  ];
  return h(
    'section',
    { className: 'preview-parts', 'data-channel': examples[0]?.channelType },
    h('h2', null, examples[0]?.displayName),
    parts.map(({ task, part }) => h(FlexPart, { key: part.name, task, part })),
  );
}

export async function startPreview(): Promise<void> {
  const manager = await startFlex();
  const listed = exampleTasks(EXAMPLE_STATUSES, true);
  const custom = exampleTasks(EXAMPLE_STATUSES);
  const accepted = exampleTasks(['assigned']);
  const channels = [...new Set(custom.map((example) => example.channelType))];
  renderInFlex(
    manager,
    h(
      'div',
      { className: 'preview' },
      h(
        'div',
        { className: 'preview-row' },
        perTask(listed, { section: 'preview-task-list', item: 'preview-task' }, Flex.TaskListItem),
        perTask(accepted, { section: 'preview-task-canvases', item: 'preview-task-canvas' }, Flex.TaskCanvasTabs),
      ),
      h(
        'div',
        { className: 'preview-components' },
        channels.map((channelType) => h(ChannelParts, { key: channelType, examples: custom.filter((example) => example.channelType === channelType) })),
      ),
    ),
  );
}
