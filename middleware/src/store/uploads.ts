/**
 * The files web chat visitors uploaded to Twilio's Media Content Service, remembered so that
 * quotas hold across instances, files no message named are deleted, and an erasure finds them.
 */

/** One upload as the store keeps it: no file name, no content, only what cleanup and quotas need. */
export interface StoredUpload {
  id: string;
  channelType: string;
  /** The visitor id; empty once an erasure handed the upload to the cleanup. */
  customerId: string;
  size: number;
  /** When it was admitted (store time); 0 once handed to the cleanup. */
  uploadedAt: number;
  /** Both set once the Media Content Service has stored the file. */
  serviceSid?: string;
  mediaSid?: string;
  /** When a message named it; unset while unattached. */
  usedAt?: number;
}

export interface UploadQuota {
  /** Per visitor, over the last `windowMs`: uploads and their bytes, used or not. */
  visitorUploads: number;
  visitorBytes: number;
  windowMs: number;
  /** Everyone together: uploads no message has named yet (those in flight included), and their bytes. */
  pendingUploads: number;
  pendingBytes: number;
}

export type UploadQuotaLimit = 'visitor-uploads' | 'visitor-bytes' | 'pending-uploads' | 'pending-bytes';

/** `retryAfterMs`: when the visitor's window lets one more in (visitor limits only). */
export type UploadAdmission = { admitted: true } | { admitted: false; limit: UploadQuotaLimit; retryAfterMs?: number };

export interface UploadRecords {
  /** Records an upload about to start, unless it would pass a quota; one atomic step across instances. */
  admitUpload(upload: Pick<StoredUpload, 'id' | 'channelType' | 'customerId' | 'size'>, quota: UploadQuota): Promise<UploadAdmission>;
  /** The Media Content Service stored it (nothing happens to an upload already forgotten). */
  recordUploadMedia(id: string, serviceSid: string, mediaSid: string): Promise<void>;
  /** A message of the customer named these files: they are no longer pending. How many of them are the customer's uploads (used before or now). */
  markUploadsUsed(channelType: string, customerId: string, mediaSids: string[]): Promise<number>;
  /** Unattached uploads admitted before `uploadedBefore`, oldest first. */
  listUnusedUploads(uploadedBefore: number, limit: number): Promise<StoredUpload[]>;
  /** Every upload of the customer still remembered, used or not. */
  listCustomerUploads(channelType: string, customerId: string): Promise<StoredUpload[]>;
  /** Hands the customer's uploads to the cleanup (unattached, due now, no longer theirs); how many. */
  releaseCustomerUploads(channelType: string, customerId: string): Promise<number>;
  /** Forgets these uploads (their files are deleted, or were never stored). */
  deleteUploads(ids: string[]): Promise<void>;
  /** Forgets uploads a message named before `usedBefore` (their files stay with the messages); how many. */
  pruneUsedUploads(usedBefore: number): Promise<number>;
}
