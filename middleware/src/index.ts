/**
 * The middleware as a library: what the demo, the test kit and anyone embedding the service
 * may import (`@custom-channels/middleware`). Everything else under `src/` is internal and may
 * move; the dependency rules (`npm run deps`) refuse deep imports from other packages.
 */

// Starting the service: its configuration from the environment, then the service itself.
export { startMiddleware, type RunningMiddleware, type StartOverrides } from './app.js';
export { ConfigError, type MiddlewareConfig } from './config/config.js';
// PACKAGE_DIR: the package's folder, where `npm start` and its scripts run (for starting it as a process).
export { loadConfig, PACKAGE_DIR } from './config/load-config.js';
export { listening, PortInUseError } from './http/port-in-use.js';
// What StartOverrides takes: the service's logger (with its allow-list serializers) and its Twilio client.
export { createLogger, type Logger } from './observability/logger.js';
export { createTwilioClient, type TwilioClient, type TwilioClientOptions } from './twilio/client.js';
// The Studio flow `npm run setup -- --route studio` creates, for accounts set up another way.
export { conversationsFlowDefinition, type StudioFlowDefinition } from './setup/definitions.js';
export { BOT_MENU_TEMPLATE_NAME, botFlowDefinition, botMenuTemplate, DEFAULT_BOT_FLOW_NAME } from './setup/bot-flow.js';

// A webhook channel's side of the signatures: signing what it posts to /inbound, checking what it is delivered.
export { isSignedDelivery, signInboundRequest } from './security/hub-signature.js';

// The web chat's WebSocket protocol and its limits, for clients other than the widget.
export { MAX_TEXT_LENGTH } from './inbound/inbound-message.js';
export {
  CLOSE_CODES,
  MAX_CATCH_UP,
  MAX_FRAME_BYTES,
  MAX_NAME_LENGTH,
  PROTOCOL_VERSION,
  type ClientFrame,
  type ServerFrame,
  type VisitorEvent,
} from './webchat/protocol.js';
export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './webchat/upload-limits.js';
