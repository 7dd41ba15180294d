/**
 * Keeps a scrolling list at its newest (last) item while the agent is there: when items
 * arrive, when one grows (a picture loads, a status line appears) and when the list itself
 * shrinks. Scrolled up to read, it stays put until the agent comes back to the end.
 */
import React from 'react';

/** Within this many pixels of the end counts as at the end (zoom rounds scroll positions). */
const SLACK_PX = 2;

export function useStickToBottom<T extends HTMLElement>(itemCount: number): React.RefObject<T> {
  const list = React.useRef<T>(null);
  const stuck = React.useRef(true);
  React.useEffect(() => {
    const node = list.current;
    if (!node) return;
    let lastTop = node.scrollTop;
    const keepAtEnd = () => {
      if (stuck.current) node.scrollTop = node.scrollHeight;
      lastTop = node.scrollTop;
    };
    // Only the reader moves the list up: growing content leaves scrollTop where it was, so
    // judging by the distance to the end would mistake a taller list for a reader going up.
    const onScroll = () => {
      if (node.scrollHeight - node.scrollTop - node.clientHeight < SLACK_PX) stuck.current = true;
      else if (node.scrollTop < lastTop) stuck.current = false;
      lastTop = node.scrollTop;
    };
    const resizes = new ResizeObserver(keepAtEnd);
    const observeItems = () => {
      for (const item of node.children) resizes.observe(item);
    };
    const additions = new MutationObserver(observeItems);
    resizes.observe(node);
    observeItems();
    additions.observe(node, { childList: true });
    node.addEventListener('scroll', onScroll);
    return () => {
      resizes.disconnect();
      additions.disconnect();
      node.removeEventListener('scroll', onScroll);
    };
  }, []);
  // Before paint, so no frame shows the new item below the fold.
  React.useLayoutEffect(() => {
    if (list.current && stuck.current) list.current.scrollTop = list.current.scrollHeight;
  }, [itemCount]);
  return list;
}
