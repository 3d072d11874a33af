import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  /** The port it listens on (from its "ready" log line). */
  port: number;
  /** Everything the process wrote to stdout and stderr. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code (or signal) and how long the exit took, in ms. */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  /** SIGKILL, for cleanup. */
  kill(): Promise<void>;
}

/**
 * The API (`apps/api/src/main.ts`) or the worker as a separate process, compiled by SWC on load through
 * scripts/run-ts.js (the same compiler and options as the build). Resolves once it logs that it is ready:
 * the API's "API ready: http://localhost:PORT/graphql", the worker's "Health on :PORT" and "Worker ready".
 */
/** Whether this machine can run a process as PID 1 of a new PID namespace (`unshare --pid`, needs root), as in a container. */
export function canRunAsPid1(): boolean {
  return spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true'], { stdio: 'ignore' }).status === 0;
}

export async function spawnService(
  service: 'api' | 'worker',
  env: Record<string, string>,
  options: { asPid1?: boolean; readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const entry = join(root, `apps/${service}/src/main.ts`);
  const command = [process.execPath, join(root, 'scripts/run-ts.js'), entry];
  // As PID 1 (like `docker run` without an init): the kernel ignores a signal PID 1 has no handler for.
  if (options.asPid1) command.unshift('unshare', '--pid', '--fork', '--kill-child');
  const child = spawn(command[0], command.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      SEED_DEMO_DATA: 'false',
      PORT: '0',
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

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${service} not ready within ${readyTimeoutMs} ms:\n${log}`)),
      readyTimeoutMs,
    );
    const check = () => {
      const found =
        service === 'api'
          ? /API ready: http:\/\/localhost:(\d+)\//.exec(log)?.[1]
          : log.includes('Worker ready')
            ? /Health on :(\d+)/.exec(log)?.[1]
            : undefined;
      if (found) {
        clearTimeout(timer);
        resolve(Number(found));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${service} exited (${code ?? signal}) before it was ready:\n${log}`));
    });
  });

  return {
    child,
    pid: child.pid!,
    port,
    output: () => log,
    async terminate() {
      const started = performance.now();
      const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      if (options.asPid1) {
        // The signal goes to Node itself (PID 1 inside its namespace), not to unshare, which waits for it and exits with its code.
        const [node] = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .map(Number);
        process.kill(node, 'SIGTERM');
      } else {
        child.kill('SIGTERM');
      }
      const [code, signal] = exited() ? [child.exitCode, child.signalCode] : await exit;
      return { code, signal, ms: Math.round(performance.now() - started) };
    },
    async kill() {
      if (exited()) return;
      const exit = once(child, 'exit');
      child.kill('SIGKILL');
      await exit;
    },
  };
}
