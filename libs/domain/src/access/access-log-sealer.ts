import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccessLogService } from './access-log.service';

/** How often new access-log entries are chained: the longest an entry stays unsealed when all is well. */
export const SEAL_INTERVAL_MS = 1000;

/**
 * Seals the access log's hash chain every second in every API and worker process. Sealing runs under a
 * PostgreSQL advisory lock, so however many processes run, one seals at a time and the others skip.
 * Appending stays one INSERT per request; the chaining cost is paid here, off the request path.
 */
@Injectable()
export class AccessLogSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AccessLogSealer');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly log: AccessLogService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sealAll()
        .catch((error: Error) => this.logger.warn(`sealing the access log failed: ${error.message}`))
        .finally(() => (this.running = null));
    }, SEAL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async sealAll(): Promise<void> {
    while ((await this.log.sealBatch()) > 0 && this.timer) {
      // keep going while a backlog remains
    }
  }
}
