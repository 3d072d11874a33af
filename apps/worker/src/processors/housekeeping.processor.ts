import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccessLogService } from '@samverka/domain';
import { APP_CONFIG, AppConfig, JobName } from '@samverka/infrastructure';
import { JobHandler } from '../runtime/job-handler.decorator';

@Injectable()
export class HousekeepingProcessor {
  private readonly logger = new Logger('Housekeeping');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accessLog: AccessLogService,
  ) {}

  /** Access logs are kept at least five years (patientdatalagen); older entries are removed. */
  @JobHandler(JobName.ACCESS_LOG_RETENTION)
  async purgeOldAccessLog(): Promise<{ removed: number }> {
    const removed = await this.accessLog.purgeOlderThan(this.config.ACCESS_LOG_RETENTION_DAYS);
    this.logger.log(
      `Access-log retention: removed ${removed} entries older than ${this.config.ACCESS_LOG_RETENTION_DAYS} days`,
    );
    return { removed };
  }
}
