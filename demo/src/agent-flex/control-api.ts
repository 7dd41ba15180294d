/**
 * The demo server's same-origin API over the stand-in's control API, from the browser.
 * Answers are typed here, once; a failed request is an Error with the stand-in's reason.
 */
import type { TaskView } from '../flex-preview/flex-task.js';

/** A message's file, as the stand-in's control API describes it. */
export interface MessageMedia {
  sid: string;
  contentType: string;
  filename: string | null;
  size: number;
}

export interface ChatMessage {
  sid: string;
  index?: number;
  author: string;
  dateCreated?: string;
  /** Empty (or null) for a message that only carries a file. */
  body: string | null;
  media?: MessageMedia | null;
  /** The Content template a rich message was posted with. */
  contentSid?: string;
  attributes?: Record<string, unknown> | null;
}

export interface TransferTarget {
  sid: string;
  friendlyName: string;
}

export type TaskAction = 'accept' | 'reject' | 'wrapup' | 'complete' | 'transfer' | 'read';

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as { error?: { message?: string }; message?: string };
  if (!response.ok) throw new Error(json.error?.message ?? json.message ?? `HTTP ${response.status}`);
  return json as T;
}

export const controlApi = {
  tasks: async () => (await call<{ tasks: TaskView[] }>('GET', '/tasks')).tasks,
  messages: async (taskSid: string) => (await call<{ messages: ChatMessage[] }>('GET', `/tasks/${taskSid}/messages`)).messages,
  send: (taskSid: string, text: string) => call<ChatMessage>('POST', `/tasks/${taskSid}/messages`, { body: text }),
  act: (taskSid: string, action: TaskAction, body?: unknown) => call<TaskView>('POST', `/tasks/${taskSid}/${action}`, body),
  workers: async () => (await call<{ workers: TransferTarget[] }>('GET', '/workers')).workers,
  queues: async () => (await call<{ queues: TransferTarget[] }>('GET', '/queues')).queues,
  flexConfiguration: () => call<Record<string, unknown>>('GET', '/flex-config'),
  flexToken: (workerSid: string) => call<{ token: string; identity: string }>('POST', '/flex-token', { worker: workerSid }),
};

export type ControlApi = typeof controlApi;
