import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

/** Every error the HTTP API answers with: `{ "error": { "code", "message", "field"? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, field?: string): FastifyReply {
  const body: ErrorBody = { error: { code, message, ...(field !== undefined ? { field } : {}) } };
  return reply.code(status).type('application/json').send(body);
}

const FASTIFY_ERROR_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
};

/** JSON errors for whatever fastify itself refuses (oversized, wrong media type) and for unknown routes. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, status, 'internal_error', 'the request could not be handled; it was not accepted');
    }
    return sendError(reply, status, FASTIFY_ERROR_CODES[error.code] ?? 'bad_request', error.message);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`));
}
