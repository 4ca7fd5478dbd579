/**
 * A value from the URL narrowed to the words an API parameter accepts (its OpenAPI enum), or the
 * fallback: a hand-edited `?sort=bogus` shows the default instead of a 422.
 */
export function oneOf<T extends string, F extends T | undefined>(
  value: string | null | undefined,
  allowed: readonly T[],
  fallback: F,
): T | F {
  return allowed.find((a) => a === value) ?? fallback;
}
