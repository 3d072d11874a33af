import bcrypt from 'bcryptjs';
import { DECOY_PASSWORD_HASH, hashPassword, PASSWORD_HASH_COST, verifyPassword } from '../../libs/auth/src/password';

describe('the decoy password hash checked for unknown usernames', () => {
  it('is a real bcrypt hash at the cost staff passwords are hashed with, so checking it takes as long', async () => {
    expect(bcrypt.getRounds(DECOY_PASSWORD_HASH)).toBe(PASSWORD_HASH_COST);
    expect(bcrypt.getRounds(await hashPassword('any password'))).toBe(PASSWORD_HASH_COST);
    // A malformed hash would be refused at once, without the work.
    expect(await verifyPassword('samverka-demo', DECOY_PASSWORD_HASH)).toBe(false);
  });
});
