import * as Flex from '@twilio/flex-ui';
import { Provider } from 'react-redux';
import { applyMiddleware, combineReducers, compose, createStore, type Reducer, type StoreEnhancer } from 'redux';
import React, { ReactNode } from 'react';

/**
 * A real Flex manager on a real Flex store, with the given ui_attributes configuration.
 * `beforeLoad` runs where Flex runs plugins, before the manager loads: what task channel
 * definitions add to Flex's components (`replacedComponents`) is wired only then.
 */
export async function createFlexManager(configuration: Record<string, unknown> = {}, beforeLoad?: (manager: Flex.Manager) => void): Promise<Flex.Manager> {
  const store = createStore(combineReducers({ flex: Flex.FlexReducer as Reducer }), compose(applyMiddleware(), Flex.flexStoreEnhancer as StoreEnhancer));
  const ManagerClass = Flex.Manager as unknown as new (config: unknown, store: unknown) => Flex.Manager;
  const manager = new ManagerClass(configuration, store);
  beforeLoad?.(manager);
  await (manager as unknown as { loadInitialData(): Promise<void> }).loadInitialData();
  return manager;
}

/** ITask.status: a reserved task is `pending`, an assigned one `accepted`. */
export type TaskStatus = 'pending' | 'accepted' | 'wrapping' | 'completed' | 'canceled';

/** A plain-object chat task, as Flex would hand it to a channel definition. */
export function chatTask(attributes: Record<string, unknown>, status: TaskStatus = 'accepted', taskChannelUniqueName = 'chat'): Flex.ITask {
  return {
    sid: 'WT00000000000000000000000000000001',
    taskSid: 'WT00000000000000000000000000000001',
    sourceObject: {},
    taskChannelUniqueName,
    // Real Flex derives channelType from the attributes; a plain object must carry it.
    channelType: (attributes.channelType as string) ?? taskChannelUniqueName,
    attributes,
    status,
    taskStatus: { pending: 'reserved', accepted: 'assigned' }[status as string] ?? status,
    age: 10,
    dateCreated: new Date(),
    dateUpdated: new Date(),
    queueName: 'Everyone',
    queueSid: 'WQ00000000000000000000000000000001',
    priority: 0,
    reason: '',
    routingTarget: '',
    timeout: 86400,
    workflowSid: 'WW00000000000000000000000000000001',
    workflowName: 'Assign to Anyone',
    workerSid: 'WK00000000000000000000000000000001',
    defaultFrom: (attributes.from as string) ?? '',
    conversation: undefined,
  } as unknown as Flex.ITask;
}

/** Wraps a Flex component in the providers it needs, with the task and its channel definition. */
export function withFlex(manager: Flex.Manager, task: Flex.ITask, children: ReactNode): JSX.Element {
  const channelDefinition = Flex.TaskChannels.getForTask(task);
  return (
    <Provider store={manager.store as never}>
      <Flex.ThemeProvider>
        <Flex.TaskContext.Provider value={{ task, channelDefinition } as never}>{children}</Flex.TaskContext.Provider>
      </Flex.ThemeProvider>
    </Provider>
  );
}
