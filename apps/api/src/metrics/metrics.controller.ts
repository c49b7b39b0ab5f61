import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { Transactions } from '@app/database';
import { JobQueue } from '@app/jobs';
import { ADMINS, Roles } from '../auth/access.decorators';
import { BodyStats } from '../http/body-parser';

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

  constructor(jobs: JobQueue, transactions: Transactions, bodies: BodyStats) {
    collectDefaultMetrics({ register: this.registry, prefix: 'loveboard_' });
    // Request bodies are read only once their sender is authenticated: `read` (decompressed) is
    // what the API did for them, `sent` what came off the wire.
    new Counter({
      name: 'loveboard_request_body_bytes_total',
      help: 'Request body bytes read after authentication: as sent, and as read (decompressed)',
      labelNames: ['as'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ as: 'sent' }, bodies.sentBytes);
        this.inc({ as: 'read' }, bodies.readBytes);
      },
    });
    new Counter({
      name: 'loveboard_request_bodies_refused_total',
      help: 'Request bodies refused while read, by cause (too_large, encoding, unreadable)',
      labelNames: ['cause'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [cause, count] of bodies.refused) this.inc({ cause }, count);
      },
    });
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
  @ApiOkResponse({ schema: { type: 'string' }, description: 'Prometheus text exposition format' })
  async metrics(@Res() response: Response): Promise<void> {
    response.type(this.registry.contentType).send(await this.registry.metrics());
  }
}
