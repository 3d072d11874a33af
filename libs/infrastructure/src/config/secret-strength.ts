/**
 * Production refuses a secret that anyone could know or guess: one published in this repository
 * (defaults, the compose file, the README, tests) or one with under 256 bits of estimated entropy.
 */

/** The access-log key of development and tests; published here, so refused in production. */
export const DEVELOPMENT_ACCESS_LOG_KEY = 'development-only-access-log-key-not-secret-0000000000000000';

/** Every secret value this repository ships (test/unit/secret-strength.spec.ts checks that the list is complete). */
export const PUBLISHED_SECRETS: ReadonlySet<string> = new Set([
  'development-only-secret-change-me-0000000000',
  DEVELOPMENT_ACCESS_LOG_KEY,
  'compose-demo-only-secret-change-me-0000000000',
  'compose-demo-only-access-log-key-change-me-000000000000000000',
  'test-secret-test-secret-test-secret-0000',
]);

const MIN_BITS = 256;

/**
 * A deliberately simple estimate: length × log2 of the alphabet the secret draws from (hex, base64, or the
 * letter cases and digits it uses plus each distinct other character). Strings of little variety (fewer than 10
 * distinct characters, or one character making up over a third) count as 0. (Over a quarter refused about one
 * random 64-character hex string in 100,000: a hex digit falls 17 times in 64 that often.) A random 64-character hex
 * string or 43-character base64url string (`openssl rand -hex 32`, `openssl rand -base64 32`) passes.
 */
export function estimateSecretBits(secret: string): number {
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < 10 || Math.max(...counts.values()) > chars.length / 3) return 0;
  let alphabet: number;
  let length = chars.length;
  if (/^[0-9a-f]+$/.test(secret) || /^[0-9A-F]+$/.test(secret)) {
    alphabet = 16;
  } else if (/^[A-Za-z0-9+/_-]+=*$/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret)) {
    alphabet = 64; // base64 or base64url, without its padding
    length = secret.replace(/=+$/, '').length;
  } else {
    alphabet = (/[a-z]/.test(secret) ? 26 : 0) + (/[A-Z]/.test(secret) ? 26 : 0) + (/[0-9]/.test(secret) ? 10 : 0);
    alphabet += new Set(chars.filter((c) => !/[a-zA-Z0-9]/.test(c))).size;
  }
  return Math.floor(length * Math.log2(alphabet));
}

/** Why a secret is refused in production, or null when it is acceptable. */
export function secretProblem(secret: string): string | null {
  if (PUBLISHED_SECRETS.has(secret))
    return 'is published in the Samverka repository; generate your own (e.g. openssl rand -base64 32)';
  if (estimateSecretBits(secret) < MIN_BITS)
    return 'has under 256 bits of entropy; use e.g. openssl rand -base64 32 (43+ random characters)';
  return null;
}
