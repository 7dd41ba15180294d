import React, { useEffect, useState } from 'react';
import type { ContentReference, RichContent, RichLink, RichOption } from './api';
import { contentReferenceOf, type MessageSource } from './message-content';
import { Card, Chip, Note, Options, Title } from './RichMessageCard.styles';

export interface RichMessageCardProps {
  /** Given by Flex: the message bubble's props reach the components added to it. */
  message?: { source: MessageSource };
  render: (reference: ContentReference) => Promise<RichContent>;
}

/** A link only to a web page or a phone: a template's variable could hold anything else. */
function LinkTo({ link }: { link: RichLink }): JSX.Element {
  if (link.kind === 'phone') return <a href={`tel:${link.target.replace(/[^+\d]/g, '')}`}>{`${link.title} (${link.target})`}</a>;
  return /^https?:\/\//i.test(link.target) ? (
    <a href={link.target} target="_blank" rel="noopener noreferrer">
      {link.title}
    </a>
  ) : (
    <span>{`${link.title}: ${link.target}`}</span>
  );
}

function OptionList({ options, label }: { options: RichOption[]; label: string }): JSX.Element | null {
  if (options.length === 0) return null;
  return (
    <Options aria-label={label}>
      {options.map((option) => (
        <Chip key={option.id} title={option.description}>
          {option.title}
        </Chip>
      ))}
    </Options>
  );
}

function Links({ links }: { links: RichLink[] }): JSX.Element | null {
  if (links.length === 0) return null;
  return (
    <Options aria-label="Links">
      {links.map((link) => (
        <Chip key={`${link.kind}:${link.target}`}>
          <LinkTo link={link} />
        </Chip>
      ))}
    </Options>
  );
}

const mediaLinks = (urls: string[]) => urls.map((url) => <LinkTo key={url} link={{ kind: 'url', title: url.split('/').pop() || url, target: url }} />);

function mapLink(latitude: number, longitude: number): string {
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
}

function Content({ content }: { content: RichContent }): JSX.Element {
  switch (content.type) {
    case 'text':
      return <span>{content.body}</span>;
    case 'media':
      return (
        <>
          {content.body && <span>{content.body}</span>}
          {mediaLinks(content.media)}
        </>
      );
    case 'quick-reply':
      return (
        <>
          <span>{content.body}</span>
          <OptionList options={content.options} label="Quick replies" />
        </>
      );
    case 'list-picker':
      return (
        <>
          <span>{content.body}</span>
          <Note>{content.button}</Note>
          <Options aria-label="List items" as="ol">
            {content.options.map((option) => (
              <Chip key={option.id}>
                {option.title}
                {option.description && <Note>{` · ${option.description}`}</Note>}
              </Chip>
            ))}
          </Options>
        </>
      );
    case 'call-to-action':
      return (
        <>
          <span>{content.body}</span>
          <Links links={content.links} />
        </>
      );
    case 'card':
      return (
        <>
          <Title>{content.title}</Title>
          {content.subtitle && <span>{content.subtitle}</span>}
          {content.media && mediaLinks([content.media])}
          <OptionList options={content.options} label="Card buttons" />
          <Links links={content.links} />
        </>
      );
    case 'location':
      return (
        <>
          {content.label && <Title>{content.label}</Title>}
          {content.address && <span>{content.address}</span>}
          <LinkTo link={{ kind: 'url', title: `Map (${content.latitude}, ${content.longitude})`, target: mapLink(content.latitude, content.longitude) }} />
        </>
      );
  }
}

const TYPE_NAMES: Record<RichContent['type'], string> = {
  text: 'Text',
  media: 'Media',
  'quick-reply': 'Quick reply',
  'list-picker': 'List',
  'call-to-action': 'Call to action',
  card: 'Card',
  location: 'Location',
};

/**
 * An agent's or bot's message posted with a Content template, in Flex's message bubble: the
 * template filled with the message's variables (rendered by the middleware), as a card with its
 * options and links, since the message itself has no body.
 */
export function RichMessageCard({ message, render }: RichMessageCardProps): JSX.Element | null {
  const reference = message && contentReferenceOf(message.source);
  const key = reference && JSON.stringify(reference);
  const [state, setState] = useState<{ key?: string; content?: RichContent; problem?: string }>({});
  useEffect(() => {
    if (!reference || !key) return undefined;
    let live = true;
    render(reference).then(
      (content) => live && setState({ key, content }),
      (error: Error) => live && setState({ key, problem: error.message }),
    );
    return () => {
      live = false;
    };
    // The reference is rebuilt on each render; its key says when it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, render]);
  if (!reference) return null;
  const current = state.key === key ? state : {};
  if (current.content) {
    return (
      <Card
        role="group"
        className="CustomChannels-RichMessageCard"
        data-rich-type={current.content.type}
        aria-label={`${TYPE_NAMES[current.content.type]} message`}
      >
        <Content content={current.content} />
      </Card>
    );
  }
  return (
    <Card className="CustomChannels-RichMessageCard" aria-busy={!current.problem}>
      <Note role={current.problem ? 'alert' : undefined}>{current.problem ? `Rich message not shown: ${current.problem}` : 'Loading the rich message…'}</Note>
    </Card>
  );
}
