/**
 * Which tasks the signed-in worker sees, and how a transferred one looks to Flex. The
 * stand-in has no per-worker reservations, so this page decides, as TaskRouter would offer
 * them: a pending task to everyone in the queue, one transferred to a worker to that worker
 * only, never back to the agent who transferred it or to one who rejected it; an accepted
 * task to its worker only, until it is completed (as Flex's list drops it). Pure functions, no Flex: the node tests use them too.
 */
import type { TaskView } from '../flex-preview/flex-task.js';

export interface Directory {
  workers: Array<{ sid: string; friendlyName: string }>;
  queues: Array<{ sid: string; friendlyName: string }>;
}

export type SignedInWorker = Directory['workers'][number];

/** `?worker=bob` (a friendly name or a WK SID) names the worker; without it, the first one. */
export function signedInWorker(search: string, workers: Directory['workers']): SignedInWorker | undefined {
  const asked = new URLSearchParams(search).get('worker');
  if (asked === null || asked === '') return workers[0];
  return workers.find((worker) => worker.sid === asked || worker.friendlyName === asked);
}

interface TransferMeta {
  originalWorker?: string | null;
  mode?: string;
}

function transferMeta(view: TaskView): TransferMeta | undefined {
  const meta = view.attributes.transferMeta;
  return meta && typeof meta === 'object' ? (meta as TransferMeta) : undefined;
}

const isPending = (view: TaskView) => view.assignmentStatus === 'pending' || view.assignmentStatus === 'reserved';

function offeredTo(view: TaskView, workerSid: string, rejected: ReadonlySet<string>): boolean {
  if (rejected.has(view.sid) || transferMeta(view)?.originalWorker === workerSid) return false;
  if (view.attributes.transferTargetType === 'worker') return view.attributes.transferTargetSid === workerSid;
  return true;
}

export function tasksFor(views: TaskView[], workerSid: string, rejected: ReadonlySet<string>): TaskView[] {
  return views.filter((view) =>
    isPending(view)
      ? offeredTo(view, workerSid, rejected)
      : (view.assignmentStatus === 'assigned' || view.assignmentStatus === 'wrapping') && view.workerSid === workerSid,
  );
}

/** Flex's incoming transfer of a pending transferred task: Flex labels the task "Transferred from …" with it. */
export interface IncomingTransfer {
  mode: 'COLD' | 'WARM';
  type: 'WORKER' | 'QUEUE';
  to: string;
  workerSid: string;
  worker: { fullName: string };
  status: 'INITIATED';
}

export function incomingTransfer(view: TaskView, directory: Directory): IncomingTransfer | undefined {
  const meta = transferMeta(view);
  if (!view.transferredFrom || !meta || !isPending(view)) return undefined;
  const from = directory.workers.find((worker) => worker.sid === meta.originalWorker);
  return {
    mode: meta.mode === 'WARM' ? 'WARM' : 'COLD',
    type: view.attributes.transferTargetType === 'worker' ? 'WORKER' : 'QUEUE',
    to: String(view.attributes.transferTargetSid ?? ''),
    workerSid: meta.originalWorker ?? '',
    worker: { fullName: from?.friendlyName ?? 'another agent' },
    status: 'INITIATED',
  };
}

export function queueName(view: TaskView, directory: Directory): string | undefined {
  return directory.queues.find((queue) => queue.sid === view.taskQueueSid)?.friendlyName;
}
