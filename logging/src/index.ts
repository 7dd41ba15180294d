export { type DeclaresSafeMessage, redactMessage, safeErrorMessage, serializeError, type SerializedError } from './error-serializer.js';
