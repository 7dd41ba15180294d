export { openWebchat, openWebchatFor, type Webchat, type WebchatOptions } from './webchat.js';
export { webchatRoutes, WEBCHAT_SOCKET_PATH } from './webchat-routes.js';
export type { ClientFrame, ServerFrame, VisitorEvent } from './protocol.js';
