/**
 * A message's file in the conversation: a picture as a thumbnail opening full size in a new
 * tab, any other file as a named download with its size. The name is React text, never markup.
 */
import React from 'react';
import type { MessageMedia } from './control-api.js';
import { mediaUrl } from './media-api.js';

const h = React.createElement;
/** The pictures a browser shows inline; the demo's server serves only these inline. */
const PICTURE = /^image\/(png|jpeg|gif|webp)$/;

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function AttachmentView({ media }: { media: MessageMedia }): React.ReactElement {
  const url = mediaUrl(media.sid);
  const name = media.filename || 'file';
  if (PICTURE.test(media.contentType)) {
    return h(
      'a',
      { className: 'attachment', href: url, target: '_blank', rel: 'noopener', 'data-attachment': 'image', title: name },
      h('img', { className: 'attachment-thumb', src: url, alt: name }),
    );
  }
  return h(
    'a',
    { className: 'attachment', href: url, download: name, 'data-attachment': 'file' },
    h('span', { className: 'attachment-name' }, name),
    h('span', { className: 'attachment-size' }, ` ${sizeText(media.size)}`),
  );
}
