import React from 'react';

export const POLL_MS = 1000;

/**
 * Calls `load` now and every second while mounted (and again when `key` changes), keeping
 * its last answer; a failed call keeps the previous value and reports the error.
 */
export function usePolling<T>(key: string, load: () => Promise<T>, initial: T): { value: T; error?: Error; refresh: () => void } {
  const [value, setValue] = React.useState<T>(initial);
  const [error, setError] = React.useState<Error>();
  const [tick, setTick] = React.useState(0);
  const loadRef = React.useRef(load);
  loadRef.current = load;
  React.useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await loadRef.current();
        if (live) {
          setValue(next);
          setError(undefined);
        }
      } catch (failure) {
        if (live) setError(failure as Error);
      }
      if (live) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, tick]);
  const refresh = React.useCallback(() => setTick((n) => n + 1), []);
  return { value, error, refresh };
}
