/**
 * The demo's agent view: tasks live from the stand-in's TaskRouter, drawn by Flex's own
 * components with the built plugin; Flex's actions drive the stand-in. The conversation
 * pane is the demo's. Runs in the browser.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import { inTask, renderInFlex, startFlex } from '../flex-preview/flex-runtime.js';
import { flexTask, type TaskView } from '../flex-preview/flex-task.js';
import { FlexPart, INCOMING_TASK_CANVAS, SUPERVISOR_COMPONENTS, TASK_CANVAS_HEADER } from '../flex-preview/task-components.js';
import { actionNotice } from './action-notice.js';
import { controlApi } from './control-api.js';
import { ConversationPane } from './conversation-pane.js';
import { wireFlexActions, type ActionOutcome } from './flex-actions.js';
import { usePolling } from './use-polling.js';

const h = React.createElement;

/** Flex's actions are replaced once, outside React; the view hears of their outcomes here. */
const actionListeners = new Set<(outcome: ActionOutcome) => void>();

const isIncoming = (view: TaskView) => view.assignmentStatus === 'pending' || view.assignmentStatus === 'reserved';

function TaskList({ views, selectedSid, onSelect }: { views: TaskView[]; selectedSid?: string; onSelect: (sid: string) => void }): React.ReactElement {
  if (views.length === 0) return h('p', { className: 'empty' }, 'No tasks yet. Say hello from the web chat.');
  return h(
    'ul',
    { className: 'task-list', 'aria-label': 'Tasks' },
    [...views].reverse().map((view) => {
      const task = flexTask(view);
      return h(
        'li',
        {
          key: view.sid,
          className: `task${view.sid === selectedSid ? ' selected' : ''}`,
          'data-sid': view.sid,
          'data-status': view.assignmentStatus,
          'data-channel': String(view.attributes.customChannelType ?? view.attributes.channelType ?? view.taskChannelUniqueName),
          onClickCapture: () => onSelect(view.sid),
          onKeyDownCapture: (event: React.KeyboardEvent) => {
            if (event.key === 'Enter' || event.key === ' ') onSelect(view.sid);
          },
        },
        inTask(task, Flex.TaskListItem),
      );
    }),
  );
}

function TaskCanvas({ view }: { view: TaskView }): React.ReactElement {
  const task = flexTask(view);
  if (isIncoming(view)) return h('div', { className: 'canvas-body' }, h(FlexPart, { task, part: INCOMING_TASK_CANVAS }));
  return h('div', { className: 'canvas-body' }, h(FlexPart, { task, part: TASK_CANVAS_HEADER }), h(ConversationPane, { api: controlApi, task, view }));
}

function InfoPane({ view }: { view: TaskView }): React.ReactElement {
  const task = flexTask(view);
  return h(
    'aside',
    { className: 'info-pane' },
    h('div', { className: 'task-tabs' }, inTask(task, Flex.TaskCanvasTabs)),
    h('h2', { className: 'pane-title' }, 'What a supervisor sees'),
    SUPERVISOR_COMPONENTS.map((part) => h(FlexPart, { key: part.name, task, part })),
  );
}

function AgentView(): React.ReactElement {
  const tasks = usePolling<TaskView[]>('tasks', controlApi.tasks, []);
  const [selectedSid, setSelectedSid] = React.useState<string>();
  const [notice, setNotice] = React.useState<string>();
  const { refresh } = tasks;
  React.useEffect(() => {
    const listener = (outcome: ActionOutcome) => {
      setNotice(actionNotice(outcome));
      refresh();
    };
    actionListeners.add(listener);
    return () => void actionListeners.delete(listener);
  }, [refresh]);
  const selected = tasks.value.find((view) => view.sid === selectedSid) ?? tasks.value[tasks.value.length - 1];
  return h(
    'div',
    { className: 'agent-view' },
    h(
      'header',
      { className: 'topbar' },
      h('strong', null, 'Agent view'),
      h('span', { className: 'topbar-note' }, "Flex UI's own components with the built plugin; tasks live from the Twilio stand-in"),
      h('span', { className: 'poll-status', role: 'status', 'data-ok': String(!tasks.error) }, tasks.error ? 'Cannot reach the demo' : 'Live'),
    ),
    h(
      'div',
      { className: 'layout' },
      h(
        'aside',
        { className: 'tasks-pane' },
        h('h2', { className: 'pane-title' }, 'Tasks'),
        h(TaskList, { views: tasks.value, selectedSid: selected?.sid, onSelect: setSelectedSid }),
      ),
      h(
        'main',
        { className: 'canvas', 'data-sid': selected?.sid, 'data-status': selected?.assignmentStatus },
        notice ? h('p', { className: 'notice', role: 'alert' }, notice) : null,
        selected ? h(TaskCanvas, { key: selected.sid, view: selected }) : h('p', { className: 'empty' }, 'Select a task.'),
      ),
      selected && !isIncoming(selected) ? h(InfoPane, { key: selected.sid, view: selected }) : null,
    ),
  );
}

export async function startAgentView(): Promise<void> {
  const manager = await startFlex();
  // Flex's chat tab needs the Conversations SDK over Twilsock, which the stand-in does not
  // speak: the demo's conversation pane takes its place.
  Flex.TaskCanvasTabs.Content.remove('chat');
  wireFlexActions(controlApi, (outcome) => actionListeners.forEach((listener) => listener(outcome)));
  renderInFlex(manager, h(AgentView));
}
