import WebSocket from 'ws';
import type { ServerFrame } from '@custom-channels/middleware';
import { eventually } from './poll.js';

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** A browser stand-in: a WebSocket to a middleware's web chat that records every frame. */
export class WebchatClient {
  readonly frames: ServerFrame[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as ServerFrame));
  }

  /** Connects to `/webchat/ws` of the middleware at `middlewareUrl` (http://...); `origin`: the page's, as a browser sends it. */
  static async open(middlewareUrl: string, origin?: string): Promise<WebchatClient> {
    const socket = new WebSocket(`${middlewareUrl.replace(/^http/, 'ws')}/webchat/ws`, origin === undefined ? {} : { origin });
    const client = new WebchatClient(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return client;
  }

  /** A string is sent as it is (to send what is not JSON); anything else as JSON. */
  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (from `from` on) of this type matching, waiting for it. */
  next<T extends ServerFrame['type']>(type: T, match: (frame: FrameOf<T>) => boolean = () => true, from = 0) {
    return eventually(() => this.frames.slice(from).find((frame): frame is FrameOf<T> => frame.type === type && match(frame as FrameOf<T>)), `a ${type} frame`);
  }

  /** Sends hello (a second hello on one socket is refused), returns welcome and the catch-up. */
  async hello(frame: Record<string, unknown> = {}) {
    const from = this.frames.length;
    this.send({ type: 'hello', channel: 'webchat', ...frame });
    const welcome = await this.next('welcome', () => true, from);
    const synced = await this.next('synced', () => true, from);
    const events = this.frames.slice(from).filter((f): f is FrameOf<'event'> => f.type === 'event');
    return { welcome, synced, events };
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise((resolve) => {
      this.socket.once('close', resolve);
      this.socket.close();
    });
  }
}
