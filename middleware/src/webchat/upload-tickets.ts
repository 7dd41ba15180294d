import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an upload put in the Media Content Service, as the browser must quote it back in its message. */
export interface UploadedFile {
  mediaSid: string;
  serviceSid: string;
  contentType: string;
  filename?: string;
  size: number;
}

/**
 * Tickets binding an uploaded file to the visitor who uploaded it: a message frame may name
 * only files its own visitor uploaded, exactly as uploaded.
 */
export function createUploadTickets(key: string) {
  const sign = (visitorId: string, file: UploadedFile) =>
    createHmac('sha256', key)
      .update(JSON.stringify([visitorId, file.mediaSid, file.serviceSid, file.contentType, file.filename ?? '', file.size]))
      .digest('base64url');
  return {
    issue: (visitorId: string, file: UploadedFile): string => sign(visitorId, file),
    verify(visitorId: string, file: UploadedFile, ticket: string): boolean {
      const expected = Buffer.from(sign(visitorId, file));
      const given = Buffer.from(ticket);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

export type UploadTickets = ReturnType<typeof createUploadTickets>;

/** The tickets' key, derived from a secret the middleware already has. */
export function uploadTicketKey(secret: string): string {
  return createHmac('sha256', secret).update('custom-channels web chat uploads').digest('hex');
}
