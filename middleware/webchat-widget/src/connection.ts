import { CLOSE_CODES, type ClientFrame, type HelloFrame, type ServerFrame } from '../../src/webchat/protocol.js';

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline';

/** After a 1013 (too many connections): wait long enough not to add to the load. */
const BUSY_DELAY_MS = 30_000;
const MAX_BACKOFF_MS = 15_000;
const PING_EVERY_MS = 20_000;
/** No frame for this long (not even the answer to a ping): the connection is dead even if the browser has not noticed. */
const SILENCE_LIMIT_MS = 45_000;
const OFFLINE = 'You are offline. Messages will be sent when you are back.';

interface ConnectionHandlers {
  /** The hello for the next connection: it says what the browser already has. */
  hello: () => HelloFrame;
  onFrame: (frame: ServerFrame) => void;
  onState: (state: ConnectionState, text: string) => void;
}

/** The socket to the middleware: hello, catch up, keep-alive, and reconnection with backoff. */
export class Connection {
  private socket: WebSocket | null = null;
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = 0;
  /** The middleware refused this page or channel: reconnecting would not change that. */
  private refused = false;
  /** Caught up after the last hello: live events follow. */
  synced = false;
  started = false;

  constructor(
    private readonly url: URL,
    private readonly handlers: ConnectionHandlers,
  ) {
    window.addEventListener('offline', () => {
      if (this.socket) this.socket.close();
      this.handlers.onState('offline', OFFLINE);
    });
    window.addEventListener('online', () => {
      if (!this.started) return;
      this.attempts = 0;
      this.connect();
    });
  }

  send(frame: ClientFrame): void {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  connect(): void {
    this.started = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.socket || this.refused) return;
    if (navigator.onLine === false) return this.handlers.onState('offline', OFFLINE);
    this.handlers.onState('connecting', this.attempts ? 'Reconnecting\u2026' : 'Connecting\u2026');
    const ws = new WebSocket(this.url.href);
    this.socket = ws;
    this.synced = false;
    ws.onopen = () => ws.send(JSON.stringify(this.handlers.hello()));
    ws.onmessage = (message) => {
      if (this.socket !== ws) return;
      this.lastFrameAt = Date.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame.type === 'synced') {
        this.synced = true;
        this.attempts = 0;
        this.startHeartbeat();
      }
      this.handlers.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.synced = false;
      clearInterval(this.heartbeatTimer);
      if (event.code === CLOSE_CODES.originNotAllowed || event.code === CLOSE_CODES.unknownChannel) {
        this.refused = true;
        return this.handlers.onState('offline', 'This chat is not available on this page.');
      }
      this.scheduleReconnect(event.code === CLOSE_CODES.tryAgainLater ? BUSY_DELAY_MS : 0);
    };
  }

  private scheduleReconnect(atLeast: number): void {
    if (this.reconnectTimer || this.refused) return;
    if (navigator.onLine === false) return this.handlers.onState('offline', OFFLINE);
    // Exponential backoff with jitter, so that a restarted middleware is not met by every browser at once.
    const delay = Math.max(atLeast, Math.min(MAX_BACKOFF_MS, 500 * Math.pow(2, this.attempts))) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.handlers.onState('connecting', 'Connection lost. Reconnecting\u2026');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private startHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.lastFrameAt = Date.now();
    this.heartbeatTimer = setInterval(() => {
      if (!this.socket) return;
      if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) return this.socket.close();
      this.send({ type: 'ping' });
    }, PING_EVERY_MS);
  }
}
