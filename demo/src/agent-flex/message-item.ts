/**
 * How the conversation pane draws one message: the one place to change it. Text and file
 * names are rendered by React as text, never as HTML.
 */
import React from 'react';
import { AttachmentView } from './attachment-view.js';
import type { ChatMessage } from './control-api.js';

const h = React.createElement;

export interface MessageItemProps {
  message: ChatMessage;
  fromAgent: boolean;
  /** Written by the signed-in agent (another agent's, before a transfer, is named). */
  byYou: boolean;
  /** The customer's name, from the task's attributes. */
  customerName: string;
}

/** What the message says: its body, or for a Content template message the template's text. */
function text(message: ChatMessage): string | null | undefined {
  return message.body || message.content?.text;
}

export function MessageItem({ message, fromAgent, byYou, customerName }: MessageItemProps): React.ReactElement {
  return h(
    'li',
    { className: `message ${fromAgent ? 'from-agent' : 'from-customer'}`, 'data-sid': message.sid },
    h('span', { className: 'author' }, fromAgent ? (byYou ? `You (${message.author})` : `${message.author} (agent)`) : customerName),
    text(message) ? h('p', { className: 'text' }, text(message)) : null,
    message.media ? h(AttachmentView, { media: message.media }) : null,
  );
}
