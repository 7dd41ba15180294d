/**
 * How the conversation pane draws one message: the one place to change it. Text and file
 * names are rendered by React as text, never as HTML.
 */
import React from 'react';
import { AttachmentView } from './attachment-view.js';
import type { ChatMessage } from './control-api.js';
import { FlexMessageBubble, isRichMessage } from './flex-message-bubble.js';

const h = React.createElement;

export interface MessageItemProps {
  message: ChatMessage;
  fromAgent: boolean;
  /** Written by the signed-in agent (another agent's, before a transfer, is named). */
  byYou: boolean;
  /** The customer's name, from the task's attributes. */
  customerName: string;
  conversationSid: string;
}

export function MessageItem({ message, fromAgent, byYou, customerName, conversationSid }: MessageItemProps): React.ReactElement {
  const authorName = fromAgent ? (byYou ? `You (${message.author})` : `${message.author} (agent)`) : customerName;
  if (isRichMessage(message)) {
    return h(
      'li',
      { className: `message flex-bubble ${fromAgent ? 'from-agent' : 'from-customer'}`, 'data-sid': message.sid },
      h(FlexMessageBubble, { message, conversationSid, authorName, fromAgent }),
    );
  }
  return h(
    'li',
    { className: `message ${fromAgent ? 'from-agent' : 'from-customer'}`, 'data-sid': message.sid },
    h('span', { className: 'author' }, authorName),
    message.body ? h('p', { className: 'text' }, message.body) : null,
    message.media ? h(AttachmentView, { media: message.media }) : null,
  );
}
