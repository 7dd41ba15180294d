import type { ServerFrame } from '../../src/webchat/protocol.js';
import { sizeText, type Upload } from './rows.js';
import type { UploadedFile } from './storage.js';

/** What the channel takes as attachments, from the welcome frame. */
export type MediaRules = NonNullable<Extract<ServerFrame, { type: 'welcome' }>['media']>;

/** Why the channel will not take this file, or '' when it will: the type against accept, the size against maxBytes. */
export function fileProblem(file: File, rules: MediaRules): string {
  const type = (file.type || '').toLowerCase();
  const family = `${type.split('/')[0]}/*`;
  const name = file.name || 'This file';
  if (!rules.accept.some((entry) => entry === type || entry === family)) {
    return `${name} is ${type || 'of an unknown type'}; this chat takes ${rules.accept.join(', ')}.`;
  }
  if (file.size > rules.maxBytes) return `${name} is ${sizeText(file.size)}; this chat takes files up to ${sizeText(rules.maxBytes)}.`;
  return '';
}

interface UploadRequest {
  file: File;
  upload: Upload;
  url: URL;
  token: string;
  onProgress: () => void;
  onUploaded: (file: UploadedFile) => void;
  onFailed: () => void;
}

/** Posts the file as the raw body (XMLHttpRequest: fetch reports no upload progress). */
export function uploadFile({ file, upload, url, token, onProgress, onUploaded, onFailed }: UploadRequest): void {
  const request = new XMLHttpRequest();
  request.open('POST', url.href);
  request.setRequestHeader('Authorization', `Bearer ${token}`);
  request.setRequestHeader('Content-Type', file.type);
  request.upload.onprogress = (event) => {
    upload.loaded = event.loaded;
    onProgress();
  };
  request.onload = () => {
    let body: (UploadedFile & { error?: undefined }) | { error?: { message?: string } } = {};
    try {
      body = JSON.parse(request.responseText);
    } catch {
      // Judged by the status.
    }
    if (request.status === 201 && 'mediaSid' in body) return onUploaded(body);
    upload.error = body.error?.message || 'the upload failed; try again';
    onFailed();
  };
  request.onerror = () => {
    upload.error = 'the connection failed; try again';
    onFailed();
  };
  request.send(file);
}
