/**
 * Sets `key` in `map`, first dropping the oldest entry when a new key would take it past
 * `limit`: the insertion-ordered cap every in-process cache and memo here uses for memory.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  if (!map.has(key) && map.size >= limit) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
