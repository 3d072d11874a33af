import { SetMetadata } from '@nestjs/common';
import { JobName } from '@samverka/infrastructure';

export const JOB_HANDLER = 'samverka:job-handler';

/** Marks a processor method as the handler of one job name; the runner finds it at boot. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
