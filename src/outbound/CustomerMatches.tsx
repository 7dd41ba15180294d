import React from 'react';
import type { OutboundText } from './strings';
import { MatchButton, Matches } from './NewMessagePanel.styles';

/** A row of the middleware's GET /agent/customers. */
export interface CustomerMatch {
  customerId: string;
  customerName: string;
  reachable: boolean;
  message?: string;
  joins?: string;
}

export interface CustomerMatchesProps {
  middlewareUrl: string;
  token: () => string | undefined;
  channelType: string;
  /** What the agent typed: a name or an id, or part of one. */
  text: string;
  onPick: (customerId: string) => void;
  label: OutboundText;
}

/**
 * The customers the kit can reach on the channel whose name or id contains what the agent
 * typed, most recent first (the middleware's order); one that cannot be reached now says why
 * and cannot be picked. Only the answer to the latest text is shown.
 */
export function CustomerMatches({ middlewareUrl, token, channelType, text, onPick, label }: CustomerMatchesProps): JSX.Element | null {
  const [matches, setMatches] = React.useState<CustomerMatch[]>([]);
  React.useEffect(() => {
    let current = true;
    const query = new URLSearchParams({ channelType, q: text.trim(), limit: '8' });
    fetch(`${middlewareUrl.replace(/\/+$/, '')}/agent/customers?${query.toString()}`, { headers: { authorization: `Bearer ${token() ?? ''}` } })
      .then((response) => (response.ok ? response.json() : { customers: [] }))
      .then((body: { customers?: CustomerMatch[] }) => current && setMatches(body.customers ?? []))
      .catch(() => current && setMatches([]));
    return () => {
      current = false;
    };
  }, [middlewareUrl, token, channelType, text]);
  if (matches.length === 0) return null;
  return (
    <Matches aria-label={label('PluginCustomChannels.Outbound.Matches')}>
      {matches.map((match) => (
        <li key={match.customerId}>
          <MatchButton type="button" disabled={!match.reachable} onClick={() => onPick(match.customerId)}>
            <strong>{match.customerName}</strong> {match.customerId}
            {(match.message ?? match.joins) && <small>{match.message ?? match.joins}</small>}
          </MatchButton>
        </li>
      ))}
    </Matches>
  );
}
