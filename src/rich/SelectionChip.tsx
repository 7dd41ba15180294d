import React from 'react';
import { selectionOf, type MessageSource } from './message-content';
import { Note, Selected } from './RichMessageCard.styles';

/**
 * A customer's tap on a button or list item, in Flex's message bubble: the option as a chip in
 * place of the text `Selected: ...`, its id at hand for the agent who needs it.
 */
export function SelectionChip({ message }: { message?: { source: MessageSource } }): JSX.Element | null {
  const selection = message && selectionOf(message.source);
  if (!selection) return null;
  return (
    <Selected role="group" className="CustomChannels-Selection" title={`Option id: ${selection.id}`} aria-label={`Selected: ${selection.title}`}>
      <Note>Selected</Note>
      <span>{selection.title}</span>
    </Selected>
  );
}
