/**
 * The demo's own conversation pane. Flex's messaging canvas needs the Conversations SDK over
 * Twilsock, which the stand-in does not speak, so the messages come from the stand-in's
 * control API. Replying, attaching and transferring are the demo's; ending the chat and completing
 * the task after wrap-up are the buttons of Flex's task canvas header. Flex's message input actions
 * carry what plugins add there (the rich message control), and rich messages are Flex's own bubbles.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import type { TaskView } from '../flex-preview/flex-task.js';
import { AgentSessionContext } from './agent-session.js';
import { AttachControl, channelTypeOf } from './attach-control.js';
import { inTask } from '../flex-preview/flex-runtime.js';
import type { ChatMessage, ControlApi } from './control-api.js';
import { mediaApi } from './media-api.js';
import { MessageItem } from './message-item.js';
import { TransferControl } from './transfer-control.js';
import { usePolling } from './use-polling.js';
import { useReadReceipt } from './use-read-receipt.js';
import { useStickToBottom } from './use-stick-to-bottom.js';

const h = React.createElement;
const MAX_REPLY = 32_768;

interface ConversationPaneProps {
  api: ControlApi;
  task: Flex.ITask;
  view: TaskView;
}

function Composer({ api, taskSid, onSent }: { api: ControlApi; taskSid: string; onSent: () => void }): React.ReactElement {
  const [text, setText] = React.useState('');
  const [error, setError] = React.useState('');
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    setText('');
    api.send(taskSid, text).then(onSent, (failure: Error) => setError(failure.message));
  };
  return h(
    'form',
    { className: 'composer', onSubmit: submit },
    h('input', {
      className: 'reply-input',
      name: 'reply',
      placeholder: 'Type a reply',
      'aria-label': 'Reply',
      maxLength: MAX_REPLY,
      value: text,
      onChange: (event: React.ChangeEvent<HTMLInputElement>) => setText(event.target.value),
    }),
    h('button', { type: 'submit', className: 'button send' }, 'Send'),
    error ? h('p', { className: 'error', role: 'alert' }, error) : null,
  );
}

/** Flex's message input actions without Flex's own send and attach buttons (the demo's composer has them). */
function inputActionProps(conversationSid: string): Record<string, unknown> {
  return { conversationSid, sendMessage: () => undefined, sendDisabled: true, disabledReason: '', hideSendButton: true, attachFileDisabled: true };
}

export function ConversationPane({ api, task, view }: ConversationPaneProps): React.ReactElement {
  const messages = usePolling<ChatMessage[]>(view.sid, () => api.messages(view.sid), []);
  const list = useStickToBottom<HTMLOListElement>(messages.value.length);
  const customerName = typeof view.attributes.name === 'string' ? view.attributes.name : 'Customer';
  const live = view.assignmentStatus === 'assigned';
  useReadReceipt(api, view.sid, live, messages.value.at(-1)?.sid);
  const agents = new Set(React.useContext(AgentSessionContext).directory.workers.map((worker) => worker.friendlyName));
  const conversationSid = typeof view.attributes.conversationSid === 'string' ? view.attributes.conversationSid : '';
  return h(
    'section',
    { className: 'conversation', 'aria-label': 'Conversation', 'data-sid': view.sid },
    h(
      'ol',
      { className: 'messages', ref: list },
      messages.value.map((message) =>
        h(MessageItem, {
          key: message.sid,
          message,
          fromAgent: agents.has(message.author),
          byYou: message.author === view.agent,
          customerName,
          conversationSid,
        }),
      ),
    ),
    live ? h(Composer, { api, taskSid: view.sid, onSent: messages.refresh }) : null,
    live ? h('div', { className: 'input-actions' }, inTask(task, Flex.MessageInputActions, inputActionProps(conversationSid))) : null,
    live ? h(AttachControl, { api: mediaApi, taskSid: view.sid, channelType: channelTypeOf(view), onSent: messages.refresh }) : null,
    live ? h('div', { className: 'task-actions' }, h(TransferControl, { task })) : null,
  );
}
