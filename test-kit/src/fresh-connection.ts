import { request as httpRequest } from 'node:http';

/** The middleware's JSON answers: `{ status, id }` on success, `{ error }` on refusal. */
export interface JsonAnswer {
  [key: string]: unknown;
  error?: { code: string; message: string; field?: string };
}

/**
 * POSTs on a fresh connection and parses the JSON answer. A pooled keep-alive socket to a
 * server that was stopped or killed since would fail the next POST, which fetch does not
 * retry; a fresh one fails only if the server is down now.
 */
export function postOnFreshConnection(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: JsonAnswer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonAnswer,
          });
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
