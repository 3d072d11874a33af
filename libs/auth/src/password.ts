import bcrypt from 'bcryptjs';

/** Demo logins only: production staff authenticate through the external OpenID Connect issuer. */
export function hashPassword(password: string, cost = 10): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
