/** A TaskRouter worker: an agent who can accept tasks. Declared here, beside its seeding, so state.ts imports it without a cycle. */
export interface Worker {
  sid: string;
  workspaceSid: string;
  friendlyName: string;
  attributes: string;
  available: boolean;
  activitySid: string;
  activityName: string;
  dateCreated: Date;
  dateUpdated: Date;
}

interface SeededWorkspace {
  sid: string;
  taskQueues: Map<string, { sid: string; friendlyName: string }>;
  workers: Map<string, Worker>;
}

/** The demo agents and the second queue a fresh stand-in has, so there is someone to transfer to. */
export const SEEDED_AGENTS = ['alice', 'bob', 'carol'];
const SEEDED_QUEUES = [['queue-support', 'Support']];

export function seedAgents(ws: SeededWorkspace, sid: (prefix: string, label: string) => string, now: Date): void {
  for (const [label, friendlyName] of SEEDED_QUEUES) {
    const queueSid = sid('WQ', label!);
    ws.taskQueues.set(queueSid, { sid: queueSid, friendlyName: friendlyName! });
  }
  for (const name of SEEDED_AGENTS) {
    const workerSid = sid('WK', `worker-${name}`);
    ws.workers.set(workerSid, {
      sid: workerSid,
      workspaceSid: ws.sid,
      friendlyName: name,
      attributes: JSON.stringify({ full_name: name[0]!.toUpperCase() + name.slice(1), contact_uri: `client:${name}`, routing: { skills: [] } }),
      available: true,
      activitySid: sid('WA', 'activity-available'),
      activityName: 'Available',
      dateCreated: now,
      dateUpdated: now,
    });
  }
}
