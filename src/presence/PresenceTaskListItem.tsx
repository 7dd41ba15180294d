import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { customerPresenceOf } from './customer-presence';

/**
 * Flex's own task list item, told whether the customer is online. Flex reads that from the
 * Conversations user reachability, which only an SDK client logged in as the customer sets:
 * these customers reach Flex through the middleware, so Flex alone would call every one of
 * them offline. The middleware's attribute says what it knows.
 */
export function PresenceTaskListItem(props: React.ComponentProps<typeof Flex.TaskListBaseItem>): JSX.Element {
  // A prop given to Flex's item takes precedence over the one it computes (TaskListBaseItemImpl).
  const override = { isCustomerOnline: customerPresenceOf(props.task) === 'online' };
  return <Flex.TaskListBaseItem {...props} {...override} />;
}

/**
 * Replaces the channel's task list item where the middleware wrote a presence (web chat);
 * elsewhere Flex's item stays as it is.
 */
export function presenceTaskListItem(): Flex.TaskChannelComponentRegistration {
  return {
    target: 'TaskListItem',
    // Flex draws the replacement with the item's own props (task, Badge...).
    component: <PresenceTaskListItem key="custom-channels-presence" {...({} as React.ComponentProps<typeof Flex.TaskListBaseItem>)} />,
    options: { if: (props: { task?: Flex.ITask }) => customerPresenceOf(props.task) !== 'unknown' },
  };
}
