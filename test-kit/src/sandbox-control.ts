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
