import React from 'react';
import type { ControlApi } from './control-api.js';

/**
 * The agent has the conversation open: tell the stand-in the agent read it up to its last
 * message, once per new last message, as Flex's SDK does; the customer's channel shows "Read".
 */
export function useReadReceipt(api: ControlApi, taskSid: string, open: boolean, lastMessageSid: string | undefined): void {
  React.useEffect(() => {
    // A read that fails is sent again with the next message; nothing else waits for it.
    if (open && lastMessageSid) api.act(taskSid, 'read').catch(() => undefined);
  }, [api, taskSid, open, lastMessageSid]);
}
