/**
 * For tests of compact pages: a page's `texts` filled as a platform would, each new text
 * numbered from `first` on. `key` goes to compactRecordElements.
 */
export function textTable(first = 1): { texts: Record<string, string>; key: (value: string) => number } {
  const texts: Record<string, string> = {};
  const known = new Map<string, number>();
  const key = (value: string): number => {
    let k = known.get(value);
    if (k === undefined) {
      k = known.size + first;
      known.set(value, k);
      texts[String(k)] = value;
    }
    return k;
  };
  return { texts, key };
}
