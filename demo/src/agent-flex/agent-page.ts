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
import { AgentSessionContext, type AgentSession } from './agent-session.js';
import { controlApi } from './control-api.js';
import { ConversationPane } from './conversation-pane.js';
import { wireFlexActions, wireMediaAction, type ActionOutcome } from './flex-actions.js';
import { answerTaskLookups, showTasks, taskOfConversation } from './flex-task-lookup.js';
import { mediaApi } from './media-api.js';
import { usePolling } from './use-polling.js';
import { WorkerPicker } from './worker-picker.js';
import { incomingTransfer, queueName, signedInWorker, tasksFor, type Directory } from './worker-tasks.js';

const h = React.createElement;

/** Flex's actions are replaced once, outside React; the view hears of their outcomes here. */
const actionListeners = new Set<(outcome: ActionOutcome) => void>();

const isIncoming = (view: TaskView) => view.assignmentStatus === 'pending' || view.assignmentStatus === 'reserved';

/** The task as Flex takes it, with its queue's name and, for a transfer, Flex's incoming transfer. */
function liveTask(view: TaskView, directory: Directory): Flex.ITask {
  const transfer = incomingTransfer(view, directory);
  return Object.assign(flexTask(view), {
    queueName: queueName(view, directory) ?? 'Everyone',
    ...(transfer ? { incomingTransferObject: transfer, routingTarget: transfer.type === 'WORKER' ? transfer.to : undefined } : {}),
  });
}

function TransferBadge({ task }: { task: Flex.ITask }): React.ReactElement | null {
  const transfer = (task as { incomingTransferObject?: ReturnType<typeof incomingTransfer> }).incomingTransferObject;
  if (!transfer) return null;
  return h('p', { className: 'transfer-badge' }, `Transferred from ${transfer.worker.fullName} (${transfer.mode === 'WARM' ? 'warm' : 'cold'})`);
}

function TaskList({ views, selectedSid, onSelect }: { views: TaskView[]; selectedSid?: string; onSelect: (sid: string) => void }): React.ReactElement {
  const { directory } = React.useContext(AgentSessionContext);
  if (views.length === 0) return h('p', { className: 'empty' }, 'No tasks yet. Say hello from the web chat.');
  return h(
    'ul',
    { className: 'task-list', 'aria-label': 'Tasks' },
    [...views].reverse().map((view) => {
      const task = liveTask(view, directory);
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
        h(TransferBadge, { task }),
      );
    }),
  );
}

function TaskCanvas({ view }: { view: TaskView }): React.ReactElement {
  const task = liveTask(view, React.useContext(AgentSessionContext).directory);
  if (isIncoming(view)) return h('div', { className: 'canvas-body' }, h(FlexPart, { task, part: INCOMING_TASK_CANVAS }));
  return h('div', { className: 'canvas-body' }, h(FlexPart, { task, part: TASK_CANVAS_HEADER }), h(ConversationPane, { api: controlApi, task, view }));
}

function InfoPane({ view }: { view: TaskView }): React.ReactElement {
  const task = liveTask(view, React.useContext(AgentSessionContext).directory);
  return h(
    'aside',
    { className: 'info-pane' },
    h('div', { className: 'task-tabs' }, inTask(task, Flex.TaskCanvasTabs)),
    h('h2', { className: 'pane-title' }, 'What a supervisor sees'),
    SUPERVISOR_COMPONENTS.map((part) => h(FlexPart, { key: part.name, task, part })),
  );
}

function AgentView({ session }: { session: AgentSession }): React.ReactElement {
  const tasks = usePolling<TaskView[]>('tasks', controlApi.tasks, []);
  const [selectedSid, setSelectedSid] = React.useState<string>();
  const [notice, setNotice] = React.useState<string>();
  // Tasks this worker rejected stay pending for the others: gone from this worker's list only.
  const [rejected, setRejected] = React.useState<ReadonlySet<string>>(new Set());
  const { refresh } = tasks;
  React.useEffect(() => {
    const listener = (outcome: ActionOutcome) => {
      setNotice(actionNotice(outcome));
      if (outcome.action === 'RejectTask' && !outcome.error) setRejected((sids) => new Set([...sids, outcome.taskSid]));
      refresh();
    };
    actionListeners.add(listener);
    return () => void actionListeners.delete(listener);
  }, [refresh]);
  const views = tasksFor(tasks.value, session.worker.sid, rejected);
  showTasks(views.map((view) => liveTask(view, session.directory)));
  const selected = views.find((view) => view.sid === selectedSid) ?? views[views.length - 1];
  return h(
    'div',
    { className: 'agent-view', 'data-worker': session.worker.friendlyName },
    h(
      'header',
      { className: 'topbar' },
      h('strong', null, 'Agent view'),
      h('span', { className: 'topbar-note' }, "Flex UI's own components with the built plugin; tasks live from the Twilio stand-in"),
      h('div', { className: 'main-header-content' }, Flex.MainHeader.Content.fragments),
      h(WorkerPicker, { session }),
      h('span', { className: 'poll-status', role: 'status', 'data-ok': String(!tasks.error) }, tasks.error ? 'Cannot reach the demo' : 'Live'),
    ),
    h(
      'div',
      { className: 'layout' },
      h(
        'aside',
        { className: 'tasks-pane' },
        h('h2', { className: 'pane-title' }, 'Tasks'),
        h(TaskList, { views, selectedSid: selected?.sid, onSelect: setSelectedSid }),
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

/** What Flex's login does: the worker's Flex token in Flex's session, where `manager.user.token` reads it. */
async function signIn(manager: Flex.Manager, workerSid: string): Promise<void> {
  const { token, identity } = await controlApi.flexToken(workerSid);
  manager.store.dispatch({ type: 'FLEX_ACTION_TOKEN_UPDATED', payload: { tokenPayload: { token, identity, roles: ['agent'] } } });
}

function UnknownWorker({ directory }: { directory: Directory }): React.ReactElement {
  const names = directory.workers.map((worker) => worker.friendlyName).join(', ');
  return h('p', { className: 'notice', role: 'alert' }, `No worker of that name in the stand-in. Sign in as one of: ${names} (?worker=name).`);
}

export async function startAgentView(): Promise<void> {
  const manager = await startFlex(await controlApi.flexConfiguration());
  // Flex's chat tab needs the Conversations SDK over Twilsock, which the stand-in does not
  // speak: the demo's conversation pane takes its place.
  Flex.TaskCanvasTabs.Content.remove('chat');
  // The demo's composer sends and attaches; Flex's message input actions keep what the plugin adds.
  Flex.MessageInputActions.Content.remove('send-button');
  Flex.MessageInputActions.Content.remove('attach-file-button');
  answerTaskLookups();
  const [workers, queues] = await Promise.all([controlApi.workers(), controlApi.queues()]);
  const directory = { workers, queues };
  const worker = signedInWorker(window.location.search, workers);
  if (!worker) return renderInFlex(manager, h(UnknownWorker, { directory }));
  const session = { worker, directory };
  await signIn(manager, worker.sid);
  wireFlexActions(controlApi, worker.sid, (outcome) => actionListeners.forEach((listener) => listener(outcome)));
  wireMediaAction((taskSid, file) => mediaApi.upload(taskSid, file, () => undefined), taskOfConversation);
  renderInFlex(manager, h(AgentSessionContext.Provider, { value: session }, h(AgentView, { session })));
}
