// The real API as a separate process, as deployed, for the TypeScript benchmarks (events, growth): production mode,
// the application role, secrets made for the run, and the local login's tokens signed for chosen staff members.
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { provisionRoles } from './dataset';

const root = join(__dirname, '../../..');

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something listens on `port`; rejects when `child` exits first or after `timeoutMs`. */
export function waitForPort(port: number, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`the API exited with code ${child.exitCode}`));
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

export interface BenchApi {
  child: ChildProcess;
  port: number;
  /** A token for the staff member, signed as TokenService signs a local login (HS256 with the run's secret). */
  tokenOf(staffId: string): Promise<string>;
  /** SIGTERM, and SIGKILL if it has not exited after 15 s; then removes its access-log checkpoint file. */
  stop(): Promise<void>;
}

/**
 * Starts dist/apps/api/src/main.js on the database `databaseUrl` (a superuser URL: the owner and application
 * roles are provisioned on it), with 256-bit secrets, as production requires, and rate limits off (all load comes
 * from one address and a few users, so the limits would measure themselves). Its stdout is dropped, stderr shown.
 */
export async function startBenchApi(
  databaseUrl: string,
  options: { label: string; port?: number; secret?: string },
): Promise<BenchApi> {
  const roles = await provisionRoles(databaseUrl);
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const key = new TextEncoder().encode(secret);
  const port = options.port || (await freePort());
  const checkpointFile = join(tmpdir(), `samverka-bench-${options.label}-${process.pid}-${Date.now()}`);
  const child = fork(join(root, 'dist/apps/api/src/main.js'), [], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: roles.app,
      DATABASE_OWNER_URL: roles.owner,
      QUEUE_PREFIX: `bench-${options.label}-${randomBytes(3).toString('hex')}`,
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      TOKEN_SECRET: secret,
      ACCESS_LOG_KEY: randomBytes(32).toString('base64url'),
      ACCESS_LOG_CHECKPOINT_FILE: checkpointFile,
      RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0',
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    port,
    tokenOf: (staffId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(staffId)
        .setIssuer('samverka')
        .setAudience('samverka-api')
        .setIssuedAt()
        .setExpirationTime('3h')
        .sign(key),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(checkpointFile, { force: true });
    },
  };
}
