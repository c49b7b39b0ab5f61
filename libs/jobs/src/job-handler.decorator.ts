import { SetMetadata } from '@nestjs/common';
import type { JobName } from './catalogue';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks the method that does the work of a job. Each job name has exactly one, checked at boot. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);
