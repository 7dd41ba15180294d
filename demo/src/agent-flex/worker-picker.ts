import React from 'react';
import type { AgentSession } from './agent-session.js';

const h = React.createElement;

/** Signs the page in as another worker of the stand-in: the page reloads as `?worker=name`, so Flex's actions are wired for that worker. */
export function WorkerPicker({ session }: { session: AgentSession }): React.ReactElement {
  const choose = (event: React.ChangeEvent<HTMLSelectElement>) => {
    const url = new URL(window.location.href);
    url.searchParams.set('worker', event.target.value);
    window.location.assign(url.toString());
  };
  return h(
    'label',
    { className: 'worker-picker' },
    'Signed in as ',
    h(
      'select',
      { name: 'worker', value: session.worker.friendlyName, onChange: choose },
      session.directory.workers.map((worker) => h('option', { key: worker.sid, value: worker.friendlyName }, worker.friendlyName)),
    ),
  );
}
