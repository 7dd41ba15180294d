import React from 'react';
import * as Flex from '@twilio/flex-ui';
import { Provider } from 'react-redux';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import CustomChannelsPlugin from '../CustomChannelsPlugin';
import { createFlexManager } from './support/flex';

const MIDDLEWARE = 'https://cc.example.com';
let manager: Flex.Manager;
const fetchMock = jest.fn();
/** What the plugin added to Flex's main header (rendering the whole header needs a logged-in session). */
const headerContent: Array<{ element: React.ReactElement; options: unknown }> = [];

beforeAll(async () => {
  manager = await createFlexManager({ custom_data: { customChannelsMiddlewareUrl: MIDDLEWARE } });
  Object.defineProperty(manager, 'user', { value: { token: 'agent-flex-token' }, configurable: true });
  const add = Flex.MainHeader.Content.add.bind(Flex.MainHeader.Content);
  jest.spyOn(Flex.MainHeader.Content, 'add').mockImplementation(((element: React.ReactElement, options: unknown) => {
    headerContent.push({ element, options });
    return add(element, options as never);
  }) as never);
  new CustomChannelsPlugin().init(Flex, manager);
  (globalThis as { fetch?: unknown }).fetch = fetchMock;
  // Every browser Flex runs in has Web Crypto; this jsdom does not.
  (globalThis as { crypto?: unknown }).crypto ??= (jest.requireActual('crypto') as { webcrypto: unknown }).webcrypto;
});

beforeEach(() => fetchMock.mockReset());

const answer = (status: number, body: unknown) => ({ ok: status < 300, status, json: async () => body });
const isSearch = (url: string) => url.includes('/agent/customers?');
/** The middleware answers the send with `status` and `body`, and each customer search with `customers`. */
function middlewareAnswers(status: number, body: unknown, customers: unknown[] = []) {
  fetchMock.mockImplementation(async (url: string) => (isSearch(url) ? answer(200, { customers }) : answer(status, body)));
}
const sendCalls = () => fetchMock.mock.calls.filter(([url, init]) => !isSearch(url as string) && (init as RequestInit | undefined)?.method === 'POST');
const searchCalls = () => fetchMock.mock.calls.filter(([url]) => isSearch(url as string));

function renderHeader() {
  return render(
    <Provider store={manager.store as never}>
      <Flex.ThemeProvider>{headerContent[0]!.element}</Flex.ThemeProvider>
    </Provider>,
  );
}

function openAndFill(customerId: string, message: string) {
  fireEvent.click(screen.getByRole('button', { name: 'New message' }));
  const dialog = screen.getByRole('form', { name: 'Start a conversation' });
  fireEvent.change(within(dialog).getByLabelText('Channel'), { target: { value: 'telegram' } });
  fireEvent.change(within(dialog).getByLabelText('Customer id'), { target: { value: customerId } });
  fireEvent.change(within(dialog).getByLabelText('First message'), { target: { value: message } });
  return dialog;
}

const sentBodies = () => sendCalls().map(([, init]) => JSON.parse((init as RequestInit).body as string) as Record<string, string>);

test("Flex's main header has the New message control; it sends the first message with the agent's Flex token", async () => {
  expect(headerContent).toHaveLength(1);
  expect(headerContent[0]!.options).toMatchObject({ align: 'end' });
  middlewareAnswers(202, { status: 'accepted', requestId: 'x' });
  const { unmount } = renderHeader();
  const dialog = openAndFill('123456789', 'Your appointment is confirmed');
  expect(
    within(dialog)
      .getAllByRole('option')
      .map((option) => option.textContent),
  ).toEqual(expect.arrayContaining(['Telegram']));
  fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
  await waitFor(() => expect(within(dialog).getByRole('status').textContent).toMatch(/^Sent\./));
  const [url, init] = sendCalls()[0] as [string, RequestInit];
  expect(url).toBe(`${MIDDLEWARE}/agent/outbound`);
  expect((init.headers as Record<string, string>).authorization).toBe('Bearer agent-flex-token');
  expect(sentBodies()[0]).toMatchObject({ channelType: 'telegram', customerId: '123456789', text: 'Your appointment is confirmed' });
  expect(sentBodies()[0]!.requestId).toMatch(/^[0-9a-f]{32}$/);
  unmount();
});

test("a refusal is shown with the middleware's reason; sending the same message again reuses its request id", async () => {
  middlewareAnswers(422, {
    error: {
      code: 'customer_not_reachable',
      message: 'this Telegram chat has never written to the bot: Telegram lets a bot write only to chats that started it',
    },
  });
  const { unmount } = renderHeader();
  const dialog = openAndFill('42', 'Hello');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
  await waitFor(() => expect(within(dialog).getByRole('status').textContent).toMatch(/^Not sent: this Telegram chat has never written to the bot/));
  fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
  await waitFor(() => expect(sendCalls()).toHaveLength(2));
  const [first, second] = sentBodies();
  expect(second!.requestId).toBe(first!.requestId);
  unmount();
});

test('the agent finds the customer by name: matches most recent first, one that cannot be reached says why, a pick fills the id', async () => {
  middlewareAnswers(202, { status: 'accepted', requestId: 'x' }, [
    { customerId: '777', customerName: 'Dora Recent', reachable: true, joins: 'they have a conversation in progress: your message joins it' },
    { customerId: '555', customerName: 'Dora Older', reachable: false, message: 'outside the messaging window' },
  ]);
  const { unmount } = renderHeader();
  const dialog = openAndFill('dora', 'Hello');
  const matches = await within(dialog).findByRole('list', { name: 'Customers you can write to' });
  await waitFor(() => expect(within(matches).getAllByRole('button')).toHaveLength(2));
  const [recent, older] = within(matches).getAllByRole('button') as HTMLButtonElement[];
  expect(recent!.textContent).toMatch(/^Dora Recent 777they have a conversation in progress/);
  expect(older!.disabled).toBe(true);
  expect(older!.textContent).toMatch(/outside the messaging window/);
  const [url, init] = searchCalls()[searchCalls().length - 1] as [string, RequestInit];
  expect(url).toBe(`${MIDDLEWARE}/agent/customers?channelType=telegram&q=dora&limit=8`);
  expect((init.headers as Record<string, string>).authorization).toBe('Bearer agent-flex-token');
  fireEvent.click(recent!);
  expect((within(dialog).getByLabelText('Customer id') as HTMLInputElement).value).toBe('777');
  unmount();
});

test('an opening that fails for good after the 202 reaches the agent: the panel asks what became of the request and shows why', async () => {
  const statusAnswers = [
    { requestId: 'x', status: 'pending' },
    {
      requestId: 'x',
      status: 'failed',
      reason: 'Twilio answered 400 (error 20001): Worker is not available for outbound',
      message: 'the conversation could not be opened (Twilio answered 400 (error 20001): Worker is not available for outbound)',
    },
  ];
  const statusCalls: Array<[string, RequestInit]> = [];
  fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
    if (isSearch(url)) return answer(200, { customers: [] });
    if (init?.method === 'POST') return answer(202, { status: 'accepted', requestId: 'x' });
    statusCalls.push([url, init]);
    return answer(200, statusAnswers.shift() ?? { status: 'pending' });
  });
  const { unmount } = render(
    <Provider store={manager.store as never}>
      <Flex.ThemeProvider>{React.cloneElement(headerContent[0]!.element, { statusPollMs: 5 })}</Flex.ThemeProvider>
    </Provider>,
  );
  const dialog = openAndFill('123456789', 'About your order');
  fireEvent.click(within(dialog).getByRole('button', { name: 'Send' }));
  await waitFor(() => expect(within(dialog).getByRole('status').textContent).toMatch(/^Sent\./));
  await waitFor(() =>
    expect(within(dialog).getByRole('status').textContent).toBe(
      'Not sent: the conversation could not be opened (Twilio answered 400 (error 20001): Worker is not available for outbound)',
    ),
  );
  const requestId = sentBodies()[0]!.requestId!;
  expect(statusCalls).toHaveLength(2);
  expect(statusCalls[0]![0]).toBe(`${MIDDLEWARE}/agent/outbound/${requestId}?channelType=telegram&customerId=123456789`);
  expect((statusCalls[0]![1].headers as Record<string, string>).authorization).toBe('Bearer agent-flex-token');
  unmount();
});
