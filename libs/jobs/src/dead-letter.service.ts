import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditRepository, DeadLetter, DeadLetterRepository, DeadLetterStatus } from '@app/database';
import { JOB_CATALOGUE, isJobName } from './catalogue';
import { JobQueue } from './job-queue';

/** Listing and reprocessing poison work, for the CLI and the admin API alike. */
@Injectable()
export class DeadLetterService {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly jobs: JobQueue,
    private readonly audit: AuditRepository,
  ) {}

  list(status: DeadLetterStatus | undefined, limit: number): Promise<DeadLetter[]> {
    return this.deadLetters.list(status, limit);
  }

  /**
   * Runs the job again (after a fix was deployed, say). If it fails for good again, it comes back
   * as a new open entry with the new cause.
   */
  async retry(id: string, actor: string): Promise<DeadLetter> {
    const entry = await this.deadLetters.findById(id);
    if (!entry) throw new NotFoundException(`dead letter ${id} does not exist`);
    if (entry.status !== DeadLetterStatus.Open)
      throw new ConflictException(`dead letter ${id} was already retried`);
    const name = entry.jobName;
    if (!isJobName(name) || !JOB_CATALOGUE[name].isValid(entry.payload)) {
      throw new ConflictException(`dead letter ${id} holds no valid job (${name}) and cannot be retried`);
    }
    if (!(await this.deadLetters.markRetried(id)))
      throw new ConflictException(`dead letter ${id} was already retried`);
    await this.jobs.requeue(name, entry.payload);
    await this.audit.record({
      actor,
      action: 'dead_letter.retry',
      subjectType: 'dead_letter',
      subjectId: id,
    });
    return { ...entry, status: DeadLetterStatus.Retried, retriedAt: new Date() };
  }
}
