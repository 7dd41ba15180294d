import React, { useRef, useState } from 'react';
import * as Flex from '@twilio/flex-ui';
import { acceptsType, type MediaPolicy } from '@custom-channels/contract';

export interface AttachmentButtonProps {
  /** Given by Flex: the message input's props reach the components added to it. */
  conversationSid?: string;
  channelName: string;
  media: MediaPolicy;
  /** Texts from manager.strings (see strings.ts). */
  text: (key: 'Attach' | 'RefusedType' | 'RefusedSize', values?: Record<string, string>) => string;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString(undefined, { maximumFractionDigits: 1 })} MB`;
}

/**
 * The attach button of a channel that takes attachments: the chosen file is checked against
 * the channel's `media` (type and size) and sent with Flex's own SendMediaMessage action,
 * which uploads it to Twilio's Media Content Service. A refused file is explained, never sent.
 */
export function AttachmentButton({ conversationSid, channelName, media, text }: AttachmentButtonProps): JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const [refusal, setRefusal] = useState('');

  const onChange = (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file || !conversationSid) return;
    const values = { name: file.name, type: file.type || '?', channel: channelName, accepted: media.accept.join(', '), limit: megabytes(media.maxBytes) };
    if (!acceptsType(media, file.type)) return setRefusal(text('RefusedType', values));
    if (file.size > media.maxBytes) return setRefusal(text('RefusedSize', values));
    setRefusal('');
    // Flex reports a failed send in its own notification bar, and another plugin may cancel the action.
    Flex.Actions.invokeAction('SendMediaMessage', { conversationSid, file }).catch(() => undefined);
  };

  return (
    <span className="CustomChannels-AttachmentButton">
      <button
        type="button"
        aria-label={text('Attach', { channel: channelName })}
        title={text('Attach', { channel: channelName })}
        onClick={() => input.current?.click()}
      >
        +
      </button>
      <input ref={input} type="file" hidden accept={media.accept.join(',')} onChange={onChange} data-testid="custom-channels-attachment-input" />
      {refusal && <span role="alert">{refusal}</span>}
    </span>
  );
}
