/**
 * Transfer to another worker or a queue of the stand-in, cold or warm, through Flex's
 * TransferTask action.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import { AgentSessionContext } from './agent-session.js';

const h = React.createElement;

export function TransferControl({ task }: { task: Flex.ITask }): React.ReactElement {
  const { worker, directory } = React.useContext(AgentSessionContext);
  const [targetSid, setTargetSid] = React.useState('');
  const [mode, setMode] = React.useState<'COLD' | 'WARM'>('COLD');
  const option = (target: { sid: string; friendlyName: string }) => h('option', { key: target.sid, value: target.sid }, target.friendlyName);
  return h(
    'form',
    {
      className: 'transfer',
      onSubmit: (event: React.FormEvent) => {
        event.preventDefault();
        if (targetSid) void Flex.Actions.invokeAction('TransferTask', { task, targetSid, options: { mode } });
      },
    },
    h(
      'select',
      { 'aria-label': 'Transfer to', value: targetSid, onChange: (event: React.ChangeEvent<HTMLSelectElement>) => setTargetSid(event.target.value) },
      h('option', { value: '' }, 'Transfer to…'),
      h('optgroup', { label: 'Agents' }, directory.workers.filter((other) => other.sid !== worker.sid).map(option)),
      h('optgroup', { label: 'Queues' }, directory.queues.map(option)),
    ),
    h(
      'select',
      { 'aria-label': 'Transfer mode', value: mode, onChange: (event: React.ChangeEvent<HTMLSelectElement>) => setMode(event.target.value as 'COLD' | 'WARM') },
      h('option', { value: 'COLD' }, 'Cold'),
      h('option', { value: 'WARM' }, 'Warm'),
    ),
    h('button', { type: 'submit', className: 'button transfer-submit', disabled: !targetSid }, 'Transfer'),
  );
}
