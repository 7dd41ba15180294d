/**
 * Keeps a scrolling list at its newest (last) item while the agent is there: when items
 * arrive, and when a picture in it loads and makes it taller. Scrolled up to read, it stays put.
 */
import React from 'react';

/** Within this many pixels of the end counts as at the end (zoom rounds scroll positions). */
const SLACK_PX = 2;

export function useStickToBottom<T extends HTMLElement>(itemCount: number): React.RefObject<T> {
  const list = React.useRef<T>(null);
  const atBottom = React.useRef(true);
  React.useEffect(() => {
    const node = list.current;
    if (!node) return;
    const onScroll = () => {
      atBottom.current = node.scrollHeight - node.scrollTop - node.clientHeight < SLACK_PX;
    };
    const onLoad = () => {
      if (atBottom.current) node.scrollTop = node.scrollHeight;
    };
    node.addEventListener('scroll', onScroll);
    // load does not bubble: heard while it goes down to the picture.
    node.addEventListener('load', onLoad, true);
    return () => {
      node.removeEventListener('scroll', onScroll);
      node.removeEventListener('load', onLoad, true);
    };
  }, []);
  React.useEffect(() => {
    if (list.current && atBottom.current) list.current.scrollTop = list.current.scrollHeight;
  }, [itemCount]);
  return list;
}
