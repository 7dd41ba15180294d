import React from 'react';
import { ChannelDefinition, maxMessageLengthOf, mediaPolicyOf } from '@custom-channels/contract';
import type { ITask } from '@twilio/flex-ui';
import { ChannelIcon } from '../channels/ChannelIcon';
import { customerPresenceOf } from '../presence/customer-presence';
import { fillTemplate } from './text-template';
import type { PanelText } from './strings';
import { Capability, ChannelName, CopyButton, Fields, Header, Label, Panel, SectionTitle, Value, ValueLine, ValueText } from './ChannelPanel.styles';

export interface ChannelPanelProps {
  channel: ChannelDefinition;
  text: PanelText;
  /** Given by Flex's TaskInfoPanel to the content added to it. */
  task?: ITask;
}

/** The channel a task came from, the customer fields it configures, and what it can carry. */
export function ChannelPanel({ channel, text, task }: ChannelPanelProps): JSX.Element {
  const profile = channel.profile ?? [];
  return (
    <Panel brandColor={channel.color} aria-label={channel.displayName}>
      <Header>
        <ChannelIcon svg={channel.icon} color={channel.color} label="" />
        <ChannelName>{channel.displayName}</ChannelName>
      </Header>
      {/* What the middleware knows, where Flex's task list can only say "Customer is offline". */}
      <Capability role="status">{text(`PluginCustomChannels.Panel.Presence.${customerPresenceOf(task)}`)}</Capability>
      {profile.length > 0 && (
        <>
          <SectionTitle>{text('PluginCustomChannels.Panel.Customer')}</SectionTitle>
          <Fields>
            {profile.map((field, index) => (
              <React.Fragment key={index}>
                <Label>{field.label}</Label>
                <FieldValue label={field.label} value={fillTemplate(field.value, { task })} text={text} />
              </React.Fragment>
            ))}
          </Fields>
        </>
      )}
      <SectionTitle>{text('PluginCustomChannels.Panel.Carries')}</SectionTitle>
      <Capability>
        {fillTemplate(text('PluginCustomChannels.Panel.MessageLength'), {
          // In the agent's own number format (32,768 in English, 32.768 in German).
          maxMessageLength: maxMessageLengthOf(channel).toLocaleString(),
        })}
      </Capability>
      <Capability>{attachmentsLine(channel, text)}</Capability>
    </Panel>
  );
}

/** A field's value on one line; cut short, it shows whole on hover, and a button copies it. */
function FieldValue({ label, value, text }: { label: string; value: string; text: PanelText }): JSX.Element {
  const [copied, setCopied] = React.useState(false);
  // The Clipboard API exists only in secure contexts (https, localhost).
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
  if (!value) return <Value>{text('PluginCustomChannels.Panel.NoValue')}</Value>;
  const copy = () =>
    clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <Value>
      <ValueLine>
        <ValueText title={value}>{value}</ValueText>
        {clipboard?.writeText && (
          <CopyButton type="button" aria-label={`${text('PluginCustomChannels.Panel.Copy')} ${label}`} onClick={copy}>
            {text(copied ? 'PluginCustomChannels.Panel.Copied' : 'PluginCustomChannels.Panel.Copy')}
          </CopyButton>
        )}
      </ValueLine>
    </Value>
  );
}

function attachmentsLine(channel: ChannelDefinition, text: PanelText): string {
  const media = mediaPolicyOf(channel);
  if (!media) return text('PluginCustomChannels.Panel.NoAttachments');
  return fillTemplate(text('PluginCustomChannels.Panel.Attachments'), {
    maxMegabytes: (Math.round((media.maxBytes / 1_048_576) * 10) / 10).toLocaleString(),
    accept: media.accept.join(', '),
  });
}
