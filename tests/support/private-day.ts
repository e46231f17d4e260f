/**
 * Noon of a random past day: a test's alerts get a daily index of their own, created
 * from the project's template, and nobody else's traffic lands in it.
 */
export function privateDay(): number {
  const from = Date.UTC(1995, 0, 1);
  const days = Math.floor(Math.random() * 7000);
  return from + days * 86_400_000 + 43_200_000;
}
