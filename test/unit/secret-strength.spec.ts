import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../libs/infrastructure/src/config/app-config';
import {
  estimateSecretBits,
  PUBLISHED_SECRETS,
  secretProblem,
} from '../../libs/infrastructure/src/config/secret-strength';

const ROOT = join(__dirname, '..', '..');
const STRONG = { TOKEN_SECRET: randomBytes(32).toString('base64url'), ACCESS_LOG_KEY: randomBytes(32).toString('hex') };
const PRODUCTION = { NODE_ENV: 'production', ACCESS_LOG_CHECKPOINT_FILE: '/var/lib/samverka/checkpoints', ...STRONG };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

/** Every value given to TOKEN_SECRET or ACCESS_LOG_KEY in the repository's own files (compose, README, tests, scripts, sources). */
function secretsInRepository(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (['node_modules', 'dist', '.git'].includes(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx|js|mjs|ya?ml|md|json|sh|env)$|^Dockerfile$/.test(name)) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(
          /(?:TOKEN_SECRET|ACCESS_LOG_KEY)[\s"':=]+(?:\$\{[A-Z_]+:-)?['"`]?([A-Za-z0-9_+/=-]{32,})/g,
        ))
          found.add(m[1]);
      }
    }
  };
  walk(ROOT);
  return [...found];
}

describe('secrets in production (TOKEN_SECRET, ACCESS_LOG_KEY)', () => {
  it('accepts random secrets of 256 bits (openssl rand -base64 32 / -hex 32)', () => {
    expect(() => loadConfig(PRODUCTION)).not.toThrow();
    for (let i = 0; i < 200; i++) {
      expect(secretProblem(randomBytes(32).toString('base64url'))).toBeNull();
      expect(secretProblem(randomBytes(32).toString('base64'))).toBeNull();
      expect(secretProblem(randomBytes(32).toString('hex'))).toBeNull();
    }
  });

  it.each(['TOKEN_SECRET', 'ACCESS_LOG_KEY'])('refuses every %s value shipped in the repository', (name) => {
    const shipped = secretsInRepository();
    expect(shipped).toEqual(
      expect.arrayContaining([
        'compose-demo-only-secret-change-me-0000000000',
        'test-secret-test-secret-test-secret-0000',
      ]),
    );
    for (const secret of [...shipped, ...PUBLISHED_SECRETS]) {
      expect(refusal({ ...PRODUCTION, [name]: secret })).toMatch(
        new RegExp(
          `^Invalid configuration: ${name} (is published in the Samverka repository|has under 256 bits|must be)`,
        ),
      );
    }
  });

  it('refuses the defaults: production must set both', () => {
    expect(refusal({ ...PRODUCTION, TOKEN_SECRET: '' })).toMatch(/TOKEN_SECRET must be set in production/);
    expect(refusal({ ...PRODUCTION, ACCESS_LOG_KEY: '' })).toMatch(
      /^Invalid configuration: ACCESS_LOG_KEY is published in the Samverka repository/,
    );
  });

  it.each([
    ['x'.repeat(64), 'one character'],
    ['abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc', 'little variety'],
    ['correct-horse-battery-staple-correct-horse', 'lowercase words'],
    [randomBytes(31).toString('hex'), '62 hex characters (248 bits)'],
    [randomBytes(30).toString('base64url'), '40 base64url characters (240 bits)'],
  ])('refuses %j (%s): under 256 bits of estimated entropy', (secret) => {
    expect(estimateSecretBits(secret)).toBeLessThan(256);
    expect(refusal({ ...PRODUCTION, TOKEN_SECRET: secret })).toMatch(
      /^Invalid configuration: TOKEN_SECRET has under 256 bits of entropy/,
    );
    if (secret.length >= 43)
      expect(refusal({ ...PRODUCTION, ACCESS_LOG_KEY: secret })).toMatch(
        /^Invalid configuration: ACCESS_LOG_KEY has under 256 bits/,
      );
  });

  it('requires a checkpoint file in production, and allows the published values outside it', () => {
    expect(refusal({ ...PRODUCTION, ACCESS_LOG_CHECKPOINT_FILE: '' })).toMatch(
      /ACCESS_LOG_CHECKPOINT_FILE must be set in production/,
    );
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    expect(() =>
      loadConfig({ NODE_ENV: 'test', TOKEN_SECRET: 'test-secret-test-secret-test-secret-0000' }),
    ).not.toThrow();
  });
});
