export { redactMessage, safeErrorMessage, serializeError, type SerializedError } from './error-serializer.js';
