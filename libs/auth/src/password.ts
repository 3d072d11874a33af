import bcrypt from 'bcryptjs';

/** Demo logins only: production staff authenticate through the external OpenID Connect issuer. */
/** bcrypt's cost for staff passwords. */
export const PASSWORD_HASH_COST = 10;

/**
 * A hash, at the same cost, of a random password nobody knows: checked when a login names an unknown
 * username, so that the answer takes as long as for a wrong password and timing does not tell which
 * usernames exist.
 */
export const DECOY_PASSWORD_HASH = '$2b$10$iE.SbZCDKQ4Ati3BibIQlevyjusnuRGjivQzHDcVNvdX0X3Gk9BYe';

export function hashPassword(password: string, cost = PASSWORD_HASH_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
