/**
 * The composer's attach control: the agent picks a file, the page checks it against the
 * channel's `media` (from channels.json) before any upload and says in words why one is
 * refused, shows how much of the file is sent, and sends it as the agent's message. For a
 * text-only channel there is no control.
 */
import { acceptsType, type MediaPolicy } from '@custom-channels/contract';
import React from 'react';
import type { TaskView } from '../flex-preview/flex-task.js';
import { sizeText } from './attachment-view.js';
import { taskChannelType } from './media-policy.js';
import type { MediaApi } from './media-api.js';

const h = React.createElement;

/** The task's channel: its custom channel type, else Flex's task channel. */
export function channelTypeOf(view: TaskView): string {
  return taskChannelType(view.attributes) ?? view.taskChannelUniqueName;
}

/** Why the channel does not take this file, in words; undefined when it does. */
export function refusalOf(file: Pick<File, 'name' | 'type' | 'size'>, policy: MediaPolicy): string | undefined {
  if (!acceptsType(policy, file.type)) return `${file.name} is ${file.type || 'of an unknown type'}; this chat takes ${policy.accept.join(', ')}.`;
  if (file.size > policy.maxBytes) return `${file.name} is ${sizeText(file.size)}; this chat takes files up to ${sizeText(policy.maxBytes)}.`;
  return undefined;
}

function useMediaPolicy(api: MediaApi, channelType: string): MediaPolicy | undefined {
  const [policy, setPolicy] = React.useState<MediaPolicy>();
  React.useEffect(() => {
    let live = true;
    api.policies().then(
      (policies) => live && setPolicy(policies[channelType]),
      () => live && setPolicy(undefined),
    );
    return () => {
      live = false;
    };
  }, [api, channelType]);
  return policy;
}

interface AttachControlProps {
  api: MediaApi;
  taskSid: string;
  channelType: string;
  onSent: () => void;
}

export function AttachControl({ api, taskSid, channelType, onSent }: AttachControlProps): React.ReactElement | null {
  const policy = useMediaPolicy(api, channelType);
  const input = React.useRef<HTMLInputElement>(null);
  const [sending, setSending] = React.useState<{ name: string; sent: number }>();
  const [problem, setProblem] = React.useState<string>();
  if (!policy) return null;
  const choose = (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const refusal = refusalOf(file, policy);
    setProblem(refusal);
    if (refusal) return;
    setSending({ name: file.name, sent: 0 });
    api
      .upload(taskSid, file, (sent) => setSending({ name: file.name, sent }))
      .then(onSent, (failure: Error) => setProblem(`${file.name} was not sent: ${failure.message}`))
      .finally(() => setSending(undefined));
  };
  return h(
    'div',
    { className: 'attach-control' },
    h(
      'button',
      { type: 'button', className: 'button attach', disabled: Boolean(sending), onClick: () => input.current?.click() },
      sending ? 'Sending…' : 'Attach file',
    ),
    h('input', { ref: input, type: 'file', className: 'attach-input', hidden: true, accept: policy.accept.join(','), onChange: choose }),
    sending ? h('progress', { className: 'attach-progress', max: 1, value: sending.sent, 'aria-label': `Sending ${sending.name}` }) : null,
    sending ? h('span', { className: 'attach-status', role: 'status' }, `Sending ${sending.name}… ${Math.round(sending.sent * 100)}%`) : null,
    problem ? h('span', { className: 'attach-error', role: 'alert' }, problem) : null,
  );
}
