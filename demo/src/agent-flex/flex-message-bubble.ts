/**
 * A message drawn by Flex's own MessageBubble, with what the plugin adds to it: a rich message
 * (posted with a Content template, no body) as a card, a customer's tap as a selection chip.
 * The demo's pane keeps its own look for other messages.
 */
import * as Flex from '@twilio/flex-ui';
import React from 'react';
import type { ChatMessage } from './control-api.js';

const h = React.createElement;

/** A message the plugin has something to show for. */
export function isRichMessage(message: ChatMessage): boolean {
  return Boolean(message.contentSid) || Boolean(message.attributes && typeof message.attributes.selection === 'object');
}

interface FlexMessageBubbleProps {
  message: ChatMessage;
  conversationSid: string;
  authorName: string;
  fromAgent: boolean;
}

export function FlexMessageBubble({ message, conversationSid, authorName, fromAgent }: FlexMessageBubbleProps): React.ReactElement {
  // The message as Flex's message list holds it: the Conversations SDK's message under `source`.
  const state = {
    isFromMe: fromAgent,
    groupWithNext: false,
    groupWithPrevious: false,
    index: message.index ?? 0,
    source: {
      sid: message.sid,
      index: message.index ?? 0,
      author: message.author,
      body: message.body ?? '',
      contentSid: message.contentSid ?? null,
      attributes: message.attributes ?? {},
      type: 'text',
      timestamp: message.dateCreated ? new Date(message.dateCreated) : null,
      conversation: { sid: conversationSid, status: 'joined' },
    },
  };
  const author = { friendlyName: authorName };
  return h(Flex.MessageBubble as unknown as React.ComponentType<Record<string, unknown>>, {
    conversationSid,
    message: state,
    participant: author,
    member: author,
    inFocus: false,
  });
}
