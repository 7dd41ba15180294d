/**
 * Transfer to a worker or a queue of the stand-in, through Flex's TransferTask action. An
 * older stand-in without workers, queues or transfers says so here instead of failing silently.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import { ControlApiError, type ControlApi, type TransferTarget } from './control-api.js';

const h = React.createElement;

interface Targets {
  workers: TransferTarget[];
  queues: TransferTarget[];
  unavailable?: string;
}

async function loadTargets(api: ControlApi): Promise<Targets> {
  try {
    const [workers, queues] = await Promise.all([api.workers(), api.queues()]);
    return { workers, queues };
  } catch (error) {
    const unavailable =
      error instanceof ControlApiError && error.unsupported
        ? 'Transfers are not available: this stand-in has no workers or queues to transfer to.'
        : (error as Error).message;
    return { workers: [], queues: [], unavailable };
  }
}

export function TransferControl({ api, task }: { api: ControlApi; task: Flex.ITask }): React.ReactElement {
  const [targets, setTargets] = React.useState<Targets>();
  const [targetSid, setTargetSid] = React.useState('');
  const [mode, setMode] = React.useState<'COLD' | 'WARM'>('COLD');
  React.useEffect(() => {
    void loadTargets(api).then(setTargets);
  }, [api]);
  if (!targets) return h('p', { className: 'transfer-loading' }, 'Loading transfer targets…');
  if (targets.unavailable) return h('p', { className: 'transfer-unavailable', role: 'status' }, targets.unavailable);
  const option = (target: TransferTarget) => h('option', { key: target.sid, value: target.sid }, target.friendlyName);
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
      h('optgroup', { label: 'Agents' }, targets.workers.map(option)),
      h('optgroup', { label: 'Queues' }, targets.queues.map(option)),
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
