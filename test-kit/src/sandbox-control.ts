/** A task as the stand-in's control API lists it; attributes parsed. */
export interface SandboxTask {
  sid: string;
  status: string;
  attributes: Record<string, unknown>;
  raw: Record<string, unknown>;
}

/** The stand-in's unauthenticated control API: the agent's side of Flex. */
export class SandboxControl {
  constructor(private readonly baseUrl: string) {}

  async tasks(): Promise<SandboxTask[]> {
    const body = await this.call('GET', '/sandbox/tasks');
    const list = (Array.isArray(body) ? body : ((body as { tasks?: unknown[] }).tasks ?? [])) as Array<Record<string, unknown>>;
    return list.map((raw) => ({
      sid: String(raw.sid),
      status: String(raw.assignmentStatus ?? raw.assignment_status ?? raw.status),
      attributes: (typeof raw.attributes === 'string' ? JSON.parse(raw.attributes) : (raw.attributes ?? {})) as Record<string, unknown>,
      raw,
    }));
  }

  /** The stand-in's agent identity is `agent` unless one is named. */
  accept(taskSid: string, agent?: string) {
    return this.call('POST', `/sandbox/tasks/${taskSid}/accept`, agent === undefined ? undefined : { agent });
  }

  reply(taskSid: string, body: string) {
    return this.call('POST', `/sandbox/tasks/${taskSid}/messages`, { body });
  }

  /** The agent attaches a file (Flex's attach button): an SDK message with its MediaSid. */
  async attach(taskSid: string, file: { bytes: Uint8Array; contentType: string; filename: string }): Promise<{ sid: string; media: { sid: string } }> {
    const response = await fetch(`${this.baseUrl}/sandbox/tasks/${taskSid}/media?filename=${encodeURIComponent(file.filename)}`, {
      method: 'POST',
      headers: { 'content-type': file.contentType },
      body: new Uint8Array(file.bytes),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`attaching to ${taskSid} answered ${response.status}: ${text}`);
    return JSON.parse(text) as { sid: string; media: { sid: string } };
  }

  complete(taskSid: string) {
    return this.call('POST', `/sandbox/tasks/${taskSid}/complete`);
  }

  /** Flex's "End chat": the task waits in wrap-up. */
  wrapup(taskSid: string) {
    return this.call('POST', `/sandbox/tasks/${taskSid}/wrapup`);
  }

  /** Transfers to a worker (WK) or a queue (WQ); the new task's sid. */
  async transfer(taskSid: string, targetSid: string, mode: 'COLD' | 'WARM' = 'COLD'): Promise<string> {
    const next = (await this.call('POST', `/sandbox/tasks/${taskSid}/transfer`, { targetSid, mode })) as { sid: string };
    return next.sid;
  }

  /** The agent has read the conversation to its last message. */
  read(taskSid: string) {
    return this.call('POST', `/sandbox/tasks/${taskSid}/read`);
  }

  async workerSid(friendlyName: string): Promise<string> {
    const { workers } = (await this.call('GET', '/sandbox/workers')) as { workers: Array<{ sid: string; friendlyName: string }> };
    const worker = workers.find((w) => w.friendlyName === friendlyName);
    if (!worker) throw new Error(`no worker ${friendlyName} in the stand-in`);
    return worker.sid;
  }

  async queueSid(friendlyName: string): Promise<string> {
    const { queues } = (await this.call('GET', '/sandbox/queues')) as { queues: Array<{ sid: string; friendlyName: string }> };
    const queue = queues.find((q) => q.friendlyName === friendlyName);
    if (!queue) throw new Error(`no queue ${friendlyName} in the stand-in`);
    return queue.sid;
  }

  /** Resolves once every webhook sent so far has been answered (or given up on): what the middleware made of each is done. */
  async idle(): Promise<void> {
    await this.call('GET', '/sandbox/idle');
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}
