import React from 'react';
import type { Directory, SignedInWorker } from './worker-tasks.js';

/** Who is signed in to the agent view, and the stand-in's workers and queues (to name them, and to transfer to). */
export interface AgentSession {
  worker: SignedInWorker;
  directory: Directory;
}

export const AgentSessionContext = React.createContext<AgentSession>({
  worker: { sid: '', friendlyName: '' },
  directory: { workers: [], queues: [] },
});
