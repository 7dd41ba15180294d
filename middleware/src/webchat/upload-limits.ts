import type { UploadQuota } from '../store/uploads.js';

/** How much web chat visitors may upload, and how long a file may wait for its message. */
export interface UploadLimits extends UploadQuota {
  /** An upload no message named within this time is deleted from the Media Content Service. */
  unusedAfterMs: number;
}

const MINUTE_MS = 60_000;
const MIB = 1024 * 1024;

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  visitorUploads: 20,
  visitorBytes: 100 * MIB,
  windowMs: 60 * MINUTE_MS,
  pendingUploads: 1000,
  pendingBytes: 2048 * MIB,
  unusedAfterMs: 60 * MINUTE_MS,
};

/** The environment variable behind each limit, and the unit it is given in. */
export const UPLOAD_LIMIT_VARIABLES: Record<string, { field: keyof UploadLimits; unit: number }> = {
  WEBCHAT_UPLOADS_PER_VISITOR: { field: 'visitorUploads', unit: 1 },
  WEBCHAT_UPLOAD_MB_PER_VISITOR: { field: 'visitorBytes', unit: MIB },
  WEBCHAT_UPLOAD_WINDOW_MINUTES: { field: 'windowMs', unit: MINUTE_MS },
  WEBCHAT_UPLOADS_PENDING: { field: 'pendingUploads', unit: 1 },
  WEBCHAT_UPLOAD_MB_PENDING: { field: 'pendingBytes', unit: MIB },
  WEBCHAT_UPLOAD_UNUSED_MINUTES: { field: 'unusedAfterMs', unit: MINUTE_MS },
};

export function uploadLimitsFrom(vars: Record<string, string | undefined>): UploadLimits {
  const limits = { ...DEFAULT_UPLOAD_LIMITS };
  for (const [name, { field, unit }] of Object.entries(UPLOAD_LIMIT_VARIABLES)) {
    const value = vars[name];
    if (value) limits[field] = Number(value) * unit;
  }
  return limits;
}
