import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Transactions } from '@app/database';
import { JobQueue } from '@app/jobs';
import { Public } from '../auth/access.decorators';

type Check = 'up' | 'down' | 'not configured';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly jobs: JobQueue,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database and Redis reachability; 503 when one is down' })
  async health(@Res({ passthrough: true }) response: Response) {
    const check = async (probe: () => Promise<void>): Promise<Check> => {
      try {
        await probe();
        return 'up';
      } catch {
        return 'down';
      }
    };
    const database = await check(() => this.transactions.ping());
    const redis: Check =
      this.config.redisUrl === null ? 'not configured' : await check(() => this.jobs.ping());
    const ok = database === 'up' && redis !== 'down';
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'ok' : 'degraded',
      mode: this.config.mode,
      database: {
        status: database,
        kind: this.config.databaseUrl === null ? 'embedded (PGlite)' : 'postgresql',
      },
      redis,
    };
  }
}
