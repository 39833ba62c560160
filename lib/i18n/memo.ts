/**
 * A pure text function (a translator, a date formatter) remembered by its arguments. A board renders up to ~180
 * cards whose labels repeat ("Expected close", "Owned by Ana", "May 3"); each use-intl call walks the message,
 * its values and its formatter cache, which cost ~5 ms of every board render on the server (decision 55). Keyed
 * by the arguments' JSON (dates become ISO strings); at most `limit` entries are kept, later ones are computed.
 * Own properties of `fn` (a translator's `rich`, `markup`, `raw`, `has`) are carried over, not memoized.
 */
export function memoText<F extends (...args: never[]) => string>(fn: F, limit = 1_000): F {
  const remembered = new Map<string, string>();
  const memo = (...args: Parameters<F>): string => {
    const key = JSON.stringify(args);
    let text = remembered.get(key);
    if (text === undefined) {
      text = fn(...args);
      if (remembered.size < limit) remembered.set(key, text);
    }
    return text;
  };
  return Object.assign(memo, fn) as unknown as F;
}
