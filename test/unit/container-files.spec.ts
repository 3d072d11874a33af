import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies } from 'semver';
import { parse } from 'yaml';
import { loadConfig } from '../../libs/infrastructure/src/config/app-config';

const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
}

/** `${NAME:-default}` as Compose resolves it with nothing set in the environment. */
const withDefaults = (value: string) => String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

/**
 * There is no container engine on the development machines or in CI, so `docker compose config` cannot run:
 * this checks the compose file and the Dockerfile as far as can be without one.
 */
describe('docker-compose.yml and the Dockerfile', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
    'x-app-environment': Record<string, string>;
  };
  const services = compose.services;

  it('starts what npm start starts: PostgreSQL, Redis, the migrations, the API (serving the web client) and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis', 'worker']);
    // The three of ours run the one image, each with a command the build produces.
    const entries: Record<string, string> = {
      api: 'apps/api/src/main',
      worker: 'apps/worker/src/main',
      migrate: 'libs/domain/src/database/migrate.command',
    };
    for (const [name, entry] of Object.entries(entries)) {
      expect(services[name]).toMatchObject({ build: '.', image: 'samverka:local' });
      const command = services[name].command ?? ['node', '--enable-source-maps', 'dist/apps/api/src/main.js'];
      expect(command).toContain(`dist/${entry}.js`);
      expect(existsSync(join(root, `${entry}.ts`))).toBe(true);
    }
    expect(read('Dockerfile')).toMatch(/CMD \["node", "--enable-source-maps", "dist\/apps\/api\/src\/main\.js"\]/);
  });

  it('gives every long-running service a healthcheck and starts the API and the worker after a successful migration', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker'])
      expect(services[name].healthcheck?.test?.length).toBeGreaterThan(1);
    expect(services.api.healthcheck!.test!.join(' ')).toContain('http://127.0.0.1:3000/ready');
    expect(services.worker.environment!.HEALTHCHECK_URL).toBe('http://127.0.0.1:3001/ready');
    expect(services.migrate).toMatchObject({
      restart: 'no',
      healthcheck: { disable: true },
      depends_on: { postgres: { condition: 'service_healthy' } },
    });
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    for (const service of Object.values(services))
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect(Object.keys(services)).toContain(dependency);
    expect(services.redis.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
  });

  it('sets only settings Samverka knows, and with the defaults filled in the configuration is valid', () => {
    const known = new Set(
      [...read('libs/infrastructure/src/config/app-config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+)[?]?(?::|\s=)/gm)].map(
        (m) => m[1],
      ),
    );
    const environment = compose['x-app-environment'];
    expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
    expect(environment.MIGRATE_ON_START).toBe('false');
    // The worker's environment is the shared one plus its healthcheck URL (the merge key worked).
    expect(services.worker.environment).toEqual({ ...environment, HEALTHCHECK_URL: 'http://127.0.0.1:3001/ready' });
    const resolved = Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [name, withDefaults(value)]),
    );
    expect(() => loadConfig(resolved)).not.toThrow();
    for (const service of Object.values(services))
      for (const volume of (service as { volumes?: string[] }).volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.')) expect(Object.keys(compose.volumes)).toContain(source);
        else expect(existsSync(join(root, source))).toBe(true);
      }
  });

  it('builds on the current LTS line, runs as the unprivileged node user under tini, with a healthcheck', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=24$/m);
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim/);
    const run = stages[1];
    expect(run).toMatch(/apt-get install -y --no-install-recommends tini/);
    expect(run).toMatch(/^USER node$/m);
    expect(run).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(run).toMatch(/^HEALTHCHECK .*\n?.*CMD \["node", "-e", ".*\/ready/m);
    // Nothing after USER switches back to root.
    expect(run.slice(run.indexOf('USER node'))).not.toMatch(/^USER (?!node)/m);
  });

  it('declares the Node.js versions it supports: 20.19 and later 20, 22.12 and later 22, 24 and later', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    for (const version of ['20.19.0', '20.20.2', '22.12.0', '22.20.0', '24.0.0', '24.11.1', '26.0.0'])
      expect(satisfies(version, engines)).toBe(true);
    for (const version of ['18.20.0', '20.18.3', '21.7.0', '22.11.0', '23.3.0'])
      expect(satisfies(version, engines)).toBe(false);
    expect(satisfies(process.version, engines)).toBe(true);
  });
});
