import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { Provider } from 'react-redux';
import { render, screen } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { CONFIGURATION_PROBLEM_NOTIFICATION_ID } from '../notifications/config';
import { createFlexManager } from './support/flex';

/** Logs a worker in the way Flex does: the token payload (with its roles) lands in the session state. */
function logIn(manager: Flex.Manager, roles: string[]): void {
  const tokenPayload = {
    identity: 'worker',
    roles,
    token: 'token',
    expiration: '2099-01-01T00:00:00Z',
    permissions: {},
  };
  manager.store.dispatch({ type: 'FLEX_ACTION_TOKEN_UPDATED', payload: { tokenPayload } });
}

/** A Flex manager for a worker with these roles and these runtime overrides, with the plugin's init run. */
async function initPluginFor(roles: string[], customChannels: Record<string, unknown>): Promise<Flex.Manager> {
  const manager = await createFlexManager({ custom_data: { customChannels } });
  logIn(manager, roles);
  initPlugin(manager);
  return manager;
}

function initPlugin(manager: Flex.Manager): void {
  const errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  new CustomChannelsPlugin().init(Flex, manager);
  errorSpy.mockRestore();
}

const shownProblems = () =>
  Flex.Notifications.activeNotifications
    .filter((notification) => notification.id === CONFIGURATION_PROBLEM_NOTIFICATION_ID)
    .map((notification) => notification.context?.problem as string);

function renderNotificationBar(manager: Flex.Manager): void {
  render(
    <Provider store={manager.store as never}>
      <Flex.ThemeProvider>
        <Flex.NotificationBar />
      </Flex.ThemeProvider>
    </Provider>,
  );
}

// Problems are remembered for the whole session (this file): each test breaks a channel of its own.
afterEach(() => Flex.Notifications.dismissAll());

test.each([
  ['an admin', ['admin'], 'webchat'],
  ['a supervisor', ['agent', 'supervisor'], 'chatapp'],
])('%s sees one notification in Flex naming the channel and the field', async (_role, roles, channelType) => {
  const manager = await initPluginFor(roles, { [channelType]: { color: 'not-a-color' } });
  renderNotificationBar(manager);

  const problem = `custom_data.customChannels["${channelType}"]: field "color" must be a hex color such as "#1F6FEB"`;
  expect(shownProblems()).toEqual([problem]);
  expect(screen.getByText(`Custom channels configuration: ${problem}; skipped.`)).toBeInTheDocument();
});

test('a plain agent sees no notification', async () => {
  const manager = await initPluginFor(['agent'], { kiosk: { color: 'not-a-color' } });
  renderNotificationBar(manager);

  expect(shownProblems()).toEqual([]);
  expect(screen.queryByText(/Custom channels configuration/)).not.toBeInTheDocument();
});

test('showing it twice in one session does not repeat it, even once dismissed', async () => {
  const overrides = { broken: { displayName: 'Broken', color: '#000000' } };
  const manager = await initPluginFor(['admin'], overrides);
  initPlugin(manager);
  expect(shownProblems()).toEqual(['custom_data.customChannels["broken"]: field "icon" is required']);

  Flex.Notifications.dismissAll();
  await initPluginFor(['admin'], overrides);
  expect(shownProblems()).toEqual([]);
});

test('a good configuration shows nothing', async () => {
  const manager = await initPluginFor(['admin'], { chatapp: { color: '#00AA55' } });
  renderNotificationBar(manager);

  expect(shownProblems()).toEqual([]);
  expect(screen.queryByText(/Custom channels configuration/)).not.toBeInTheDocument();
});
