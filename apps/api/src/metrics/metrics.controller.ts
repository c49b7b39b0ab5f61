import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { Transactions } from '@app/database';
import { JobQueue } from '@app/jobs';
import { ADMINS, Roles } from '../auth/access.decorators';

/**
 * Prometheus metrics of the platform itself: the process (CPU, memory, event loop), the queues
 * and the pipeline's stages. Behind an admin key like everything else (Prometheus sends it as a
 * bearer token).
 */
@ApiTags('health')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  private readonly registry = new Registry();

  constructor(jobs: JobQueue, transactions: Transactions) {
    collectDefaultMetrics({ register: this.registry, prefix: 'loveboard_' });
    new Gauge({
      name: 'loveboard_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries(await jobs.counts()))
          for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
      },
    });
    new Gauge({
      name: 'loveboard_verbatims',
      help: 'Verbatims per pipeline stage',
      labelNames: ['stage'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { stage: string; n: number }[] = await transactions.run((tx) =>
          tx.query('SELECT stage, count(*)::int AS n FROM verbatim GROUP BY stage'),
        );
        for (const row of rows) this.set({ stage: row.stage }, row.n);
      },
    });
  }

  @Get()
  @Roles(...ADMINS)
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics (admin key as a bearer token)' })
  async metrics(@Res() response: Response): Promise<void> {
    response.type(this.registry.contentType).send(await this.registry.metrics());
  }
}
