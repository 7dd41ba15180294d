import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { chatTask, createFlexManager, withFlex } from './support/flex';

const MIDDLEWARE = 'https://middleware.example.com';
const CONVERSATION = 'CH00000000000000000000000000000001';
const TEMPLATE = {
  sid: 'HX00000000000000000000000000000001',
  friendlyName: 'Pick a topic',
  variables: { 1: 'there' },
  textTemplate: 'Hi {{1}}, pick a topic\n1. Billing\n2. Delivery',
};
let manager: Flex.Manager;

beforeAll(async () => {
  manager = await createFlexManager({
    custom_data: { customChannelsMiddlewareUrl: `${MIDDLEWARE}/`, customChannels: { chatapp: { contentTemplates: ['Pick a topic'] } } },
  });
  // Flex's manager reads the user from the session it logged in with; the test's has none.
  Object.defineProperty(manager, 'user', { get: () => ({ token: 'flex-token-of-alice' }) });
  new CustomChannelsPlugin().init(Flex, manager);
});

afterEach(() => jest.restoreAllMocks());

/** Flex's real message input actions for a conversation whose task is of `channelType`. */
function renderInputActions(channelType: string) {
  const task = chatTask({ channelType, customChannelType: channelType, conversationSid: CONVERSATION });
  jest.spyOn(Flex.TaskHelper, 'getTaskFromConversationSid').mockReturnValue(task);
  const props = { conversationSid: CONVERSATION, sendMessage: () => undefined, sendDisabled: false, disabledReason: '', hideSendButton: false };
  const InputActions = Flex.MessageInputActions as unknown as React.ComponentType<typeof props>;
  return render(withFlex(manager, task, <InputActions {...props} />));
}

/** The middleware's agent routes, answering as they do. */
function middleware() {
  const calls: Array<{ url: string; method: string; headers: Record<string, string>; body?: unknown }> = [];
  global.fetch = jest.fn(async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    const body = init.method === 'POST' ? { messageSid: 'IM1' } : { templates: [TEMPLATE] };
    return { ok: true, status: init.method === 'POST' ? 201 : 200, json: async () => body } as Response;
  }) as unknown as typeof fetch;
  return calls;
}

test("a channel offering templates gets the control: the agent picks one, fills its variable, sees the preview, sends it with the agent's token", async () => {
  const calls = middleware();
  renderInputActions('chatapp');
  fireEvent.click(screen.getByRole('button', { name: 'Rich message to ChatApp' }));
  const select = await screen.findByRole('combobox');
  expect(calls[0]).toMatchObject({
    url: `${MIDDLEWARE}/agent/content/templates?channelType=chatapp`,
    headers: { authorization: 'Bearer flex-token-of-alice' },
  });
  fireEvent.change(select, { target: { value: TEMPLATE.sid } });
  expect(screen.getByTestId('custom-channels-rich-preview')).toHaveTextContent('Hi there, pick a topic');
  fireEvent.change(screen.getByRole('textbox', { name: 'Variable 1' }), { target: { value: 'Ann' } });
  expect(screen.getByTestId('custom-channels-rich-preview')).toHaveTextContent('Hi Ann, pick a topic 1. Billing 2. Delivery');
  fireEvent.click(screen.getByRole('button', { name: 'Send rich message' }));
  await waitFor(() => expect(calls).toHaveLength(2));
  expect(calls[1]).toMatchObject({
    url: `${MIDDLEWARE}/agent/content/messages`,
    method: 'POST',
    body: { conversationSid: CONVERSATION, contentSid: TEMPLATE.sid, variables: { 1: 'Ann' } },
  });
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
});

test('a refusal by the middleware is shown, not swallowed', async () => {
  global.fetch = jest.fn(
    async () => ({ ok: false, status: 503, json: async () => ({ error: { message: 'agent authentication is unavailable' } }) }) as Response,
  ) as unknown as typeof fetch;
  renderInputActions('chatapp');
  fireEvent.click(screen.getByRole('button', { name: 'Rich message to ChatApp' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('Templates not available: agent authentication is unavailable');
});

test('a channel that offers no templates gets no control', () => {
  renderInputActions('webchat');
  expect(screen.queryByRole('button', { name: /Rich message/ })).toBeNull();
});
