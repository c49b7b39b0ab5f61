import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Transactions } from '@app/database';
import { JobQueue } from '@app/jobs';
import { Public } from '../auth/access.decorators';

type Check = 'up' | 'down' | 'not configured';
const CHECKS: Check[] = ['up', 'down', 'not configured'];

class DatabaseHealth {
  @ApiProperty({ enum: ['up', 'down'] }) status: Check;
  @ApiProperty({ enum: ['embedded (PGlite)', 'postgresql'] }) kind: string;
}

class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: 'ok' | 'degraded';
  @ApiProperty({ enum: ['embedded', 'server'], description: 'server: PostgreSQL and Redis given' })
  mode: string;
  @ApiProperty({ type: DatabaseHealth }) database: DatabaseHealth;
  @ApiProperty({ enum: CHECKS }) redis: Check;
}

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
  @ApiOkResponse({ type: HealthView })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'The database or Redis is down' })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthView> {
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
