/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Up to `limit` known names close enough to a mistyped one to be what was meant, closest first
 * (ties alphabetical). "Close enough": at most a quarter of the typed name's length, and never
 * less than 2 edits, so short names still get suggestions.
 */
export function closestNames(typed: string, known: readonly string[], limit = 3): string[] {
  const maxDistance = Math.max(2, Math.floor(typed.length / 4));
  const lowerTyped = typed.toLowerCase();
  return known
    .map((name) => ({ name, distance: editDistance(lowerTyped, name.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit)
    .map((candidate) => candidate.name);
}
