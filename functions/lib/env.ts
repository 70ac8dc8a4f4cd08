/**
 * Reads required settings once, at cold start. A missing one fails fast and is named, rather than surfacing later
 * as an undefined table name in a DynamoDB error.
 */
export function requiredEnv<const K extends string>(names: readonly K[]): Record<K, string> {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length) throw new Error(`Missing required environment variables: ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, process.env[n] as string])) as Record<K, string>;
}
