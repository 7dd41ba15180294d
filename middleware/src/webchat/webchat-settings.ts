/** The web chat's limits and allowed origins (WEBCHAT_* variables, see the middleware README). */
export interface WebchatSettings {
  /**
   * WEBCHAT_ALLOWED_ORIGINS: the origins (`https://www.example.com`) of the pages that may
   * open the web chat, besides the middleware's own; `*` allows any. Requests without an
   * `Origin` (not from a browser) are not affected.
   */
  allowedOrigins: string[];
  /** WEBCHAT_MAX_SOCKETS: open web chat sockets per instance; one more is closed with 1013. */
  maxSockets: number;
  /** WEBCHAT_MAX_SOCKETS_PER_VISITOR: open sockets (tabs) of one visitor per instance; one more is closed with 1013. */
  maxSocketsPerVisitor: number;
  /** WEBCHAT_SEND_BUFFER_BYTES: no more events are sent to a socket while this much waits in its buffer. */
  sendBufferBytes: number;
  /** WEBCHAT_STALLED_SOCKET_SECONDS, in ms: a socket whose buffer does not drain for this long is dropped. */
  stalledSocketMs: number;
  /** WEBCHAT_VISITOR_BYTES_PER_HOUR: text (and name) bytes one visitor may send per hour; more is refused. */
  visitorBytesPerHour: number;
  /** WEBCHAT_PRESENCE_DEBOUNCE_SECONDS, in ms: a visitor's presence is written on their task once a change held this long. */
  presenceDebounceMs: number;
  /** WEBCHAT_PRESENCE_WRITES_PER_HOUR: presence writes per visitor and hour; 0 writes none. */
  presenceWritesPerHour: number;
}

export const DEFAULT_WEBCHAT_SETTINGS: WebchatSettings = {
  allowedOrigins: [],
  maxSockets: 2000,
  maxSocketsPerVisitor: 5,
  sendBufferBytes: 128 * 1024,
  stalledSocketMs: 30_000,
  visitorBytesPerHour: 2 * 1024 * 1024,
  presenceDebounceMs: 10_000,
  presenceWritesPerHour: 20,
};
