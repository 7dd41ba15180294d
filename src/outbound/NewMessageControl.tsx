import React from 'react';
import type { ChannelDefinition } from '@custom-channels/contract';
import { fillTemplate } from '../panel/text-template';
import type { OutboundText } from './strings';
import { CustomerMatches } from './CustomerMatches';
import { watchRequest } from './request-status';
import { Anchor, Dialog, DialogTitle, Field, HeaderButton, Outcome } from './NewMessagePanel.styles';

export interface NewMessageControlProps {
  /** The channels whose channels.json entry enables outbound. */
  channels: ChannelDefinition[];
  /** The middleware's public origin (custom_data.customChannelsMiddlewareUrl). */
  middlewareUrl: string;
  /** The logged-in agent's Flex token, read at each send (Flex renews it). */
  token: () => string | undefined;
  text: OutboundText;
  /** How often the panel asks what became of an accepted request (tests shorten it). */
  statusPollMs?: number;
}

/** About two minutes of asking: an opening takes seconds, its retries a little longer. */
const STATUS_POLLS = 40;

type Outcome = { failed: boolean; message: string } | undefined;

/**
 * The "New message" control in Flex's main header, beside Flex's own outbound controls: pick
 * a channel, name the customer, write the first message, send. One request id per message
 * written, so a double click or a retry after a network error is one conversation.
 */
export function NewMessageControl({ channels, middlewareUrl, token, text, statusPollMs = 3000 }: NewMessageControlProps): JSX.Element {
  const [open, setOpen] = React.useState(false);
  const [channelType, setChannelType] = React.useState(channels[0]?.channelType ?? '');
  const [customerId, setCustomerId] = React.useState('');
  const [message, setMessage] = React.useState('');
  const [sending, setSending] = React.useState(false);
  const [outcome, setOutcome] = React.useState<Outcome>();
  const requestId = React.useRef(newRequestId());
  const stopWatching = React.useRef<() => void>();
  React.useEffect(() => () => stopWatching.current?.(), []);
  // Another message is another request; the same one sent again is not.
  const edited = (set: (value: string) => void) => (value: string) => {
    requestId.current = newRequestId();
    set(value);
  };

  // Promise chains, not async/await: the build would add a regenerator runtime (about 3 KB) to the bundle.
  const send = (event: React.FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    setOutcome(undefined);
    stopWatching.current?.();
    const failed = (reason: string) => ({ failed: true, message: fillTemplate(text('PluginCustomChannels.Outbound.Failed'), { reason }) });
    const sent = { requestId: requestId.current, channelType, customerId };
    const base = middlewareUrl.replace(/\/+$/, '');
    fetch(`${base}/agent/outbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token() ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channelType, customerId, text: message, requestId: requestId.current }),
    })
      .then((response) =>
        response
          .json()
          .catch(() => ({}))
          .then((body: { notice?: string; error?: { message?: string } }) => {
            if (!response.ok) return setOutcome(failed(body.error?.message ?? String(response.status)));
            setOutcome({ failed: false, message: [text('PluginCustomChannels.Outbound.Accepted'), body.notice].filter(Boolean).join(' ') });
            const where = new URLSearchParams({ channelType: sent.channelType, customerId: sent.customerId });
            stopWatching.current = watchRequest({
              url: `${base}/agent/outbound/${encodeURIComponent(sent.requestId)}?${where.toString()}`,
              token,
              intervalMs: statusPollMs,
              maxPolls: STATUS_POLLS,
              onFailed: (reason) => setOutcome(failed(reason)),
            });
            requestId.current = newRequestId();
            setMessage('');
          }),
      )
      .catch(() => setOutcome(failed(text('PluginCustomChannels.Outbound.Unreachable'))))
      .finally(() => setSending(false));
  };

  return (
    <Anchor>
      <HeaderButton
        type="button"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          setOutcome(undefined);
        }}
      >
        {text('PluginCustomChannels.Outbound.Button')}
      </HeaderButton>
      {open && (
        <Dialog aria-label={text('PluginCustomChannels.Outbound.Title')} onSubmit={send}>
          <DialogTitle>{text('PluginCustomChannels.Outbound.Title')}</DialogTitle>
          <Field>
            {text('PluginCustomChannels.Outbound.Channel')}
            <select value={channelType} onChange={(event) => edited(setChannelType)(event.target.value)}>
              {channels.map((channel) => (
                <option key={channel.channelType} value={channel.channelType}>
                  {channel.displayName}
                </option>
              ))}
            </select>
          </Field>
          <Field>
            {text('PluginCustomChannels.Outbound.Customer')}
            <input
              required
              placeholder={text('PluginCustomChannels.Outbound.Search')}
              value={customerId}
              onChange={(event) => edited(setCustomerId)(event.target.value)}
            />
          </Field>
          <CustomerMatches
            middlewareUrl={middlewareUrl}
            token={token}
            channelType={channelType}
            text={customerId}
            onPick={edited(setCustomerId)}
            label={text}
          />
          <Field>
            {text('PluginCustomChannels.Outbound.Message')}
            <textarea required rows={4} value={message} onChange={(event) => edited(setMessage)(event.target.value)} />
          </Field>
          <HeaderButton type="submit" disabled={sending}>
            {text(sending ? 'PluginCustomChannels.Outbound.Sending' : 'PluginCustomChannels.Outbound.Send')}
          </HeaderButton>
          {outcome && (
            <Outcome role="status" failed={outcome.failed}>
              {outcome.message}
            </Outcome>
          )}
        </Dialog>
      )}
    </Anchor>
  );
}

/** Random enough that two agents' requests never share one; the middleware takes 8-64 of [A-Za-z0-9_-]. */
function newRequestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
