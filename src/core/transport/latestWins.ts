/**
 * Settings that take a moment to compute (the CA file is read from disk) must still be applied in
 * the order they changed: when two changes overlap, the older one, finishing later, would
 * otherwise overwrite the newer. Each call supersedes the ones before it; a superseded result is
 * dropped. Resolves true when this call's result was applied.
 */
export function latestWins<T>(apply: (value: T) => void): (compute: () => Promise<T>) => Promise<boolean> {
  let latest = 0;
  return async (compute) => {
    const mine = ++latest;
    const value = await compute();
    if (mine !== latest) return false;
    apply(value);
    return true;
  };
}
