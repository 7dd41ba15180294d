import type { Store } from '../../src/store/store.js';

/** The store, with the calls made to one of its methods counted: what a test asserts was (not) read. */
export function countingCalls<Method extends keyof Store>(store: Store, method: Method): { store: Store; calls: () => number; reset: () => void } {
  let calls = 0;
  const counted = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (property !== method) return bound;
      return (...args: unknown[]) => {
        calls += 1;
        return bound(...args);
      };
    },
  });
  return { store: counted, calls: () => calls, reset: () => (calls = 0) };
}
