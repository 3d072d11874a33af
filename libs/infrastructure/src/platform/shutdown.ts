import { announce } from './logging';

/** Past the grace period and this margin the process exits anyway, with code 1. */
const HARD_STOP_MARGIN_MS = 1000;

/**
 * Stops the process on SIGTERM or SIGINT: runs `close` (the application's shutdown: HTTP server, subscriptions,
 * queues, Redis, database pools) and exits with code 0, or with 1 if closing failed or took longer than the
 * grace period and a margin. Our own handler instead of Nest's enableShutdownHooks, whose default re-raises the
 * signal once the hooks have run: as PID 1 in a container a re-raised SIGTERM is ignored, so the process would
 * hang until the runtime kills it (Docker after 10 s).
 */
export function stopOnSignals(context: string, graceMs: number, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    setTimeout(() => {
      announce(context, `Shutdown did not finish within ${graceMs + HARD_STOP_MARGIN_MS} ms; exiting`, {
        event: 'shutdown.forced',
      });
      process.exit(1);
    }, graceMs + HARD_STOP_MARGIN_MS).unref();
    close().then(
      () => {
        announce(context, `Shut down (${signal}) in ${elapsed()} ms`, { event: 'shutdown.done', ms: elapsed() });
        process.exit(0);
      },
      (error: unknown) => {
        announce(
          context,
          `Shutdown failed after ${elapsed()} ms: ${error instanceof Error ? error.name : 'unknown error'}`,
          { event: 'shutdown.failed' },
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Resolves with `work`'s result, or with `fallback` once `ms` have passed. */
export function boundedWait<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([work, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(
    () => clearTimeout(timer),
  );
}
