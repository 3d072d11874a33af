import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = join(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** The port of the worker's /health and /ready (from its log line). */
  healthPort: number;
  /** Everything the process wrote, for a failing test's message. */
  output(): string;
  /** SIGKILL: no shutdown hook runs, jobs in flight stay active in Redis, transactions are cut. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
}

/**
 * The worker as a separate process (`apps/worker/src/main.ts` through scripts/run-ts.js, no build),
 * so that it can be killed outright. Resolves once it logs "Worker ready". `nodeArgs` go to Node itself
 * (the reminders benchmark's `--cpu-prof`).
 */
export async function spawnWorker(
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<WorkerProcess> {
  const entry = [join(root, 'scripts/run-ts.js'), join(root, 'apps/worker/src/main.ts')];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      SEED_DEMO_DATA: 'false',
      WORKER_HEALTH_PORT: '0',
      LOG_LEVEL: 'log',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const waitExit = async () => {
    if (!exited()) await once(child, 'exit');
  };

  const healthPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready within ${readyTimeoutMs} ms:\n${log}`)),
      readyTimeoutMs,
    );
    const check = () => {
      const port = /Health on :(\d+)/.exec(log)?.[1];
      if (port && log.includes('Worker ready')) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${log}`));
    });
  });

  return {
    child,
    pid: child.pid!,
    healthPort,
    output: () => log,
    async kill() {
      if (!exited()) child.kill('SIGKILL');
      await waitExit();
    },
    async stop() {
      if (!exited()) child.kill('SIGTERM');
      await waitExit();
    },
  };
}
