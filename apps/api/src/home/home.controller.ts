import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@app/config';
import { VerbatimRepository } from '@app/database';
import { READERS, Roles } from '../auth/access.decorators';

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Until the triage UI lands (apps/web), a plain page that says what runs here and where to go. */
@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verbatims: VerbatimRepository,
  ) {}

  @Get()
  @Roles(...READERS)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async home(): Promise<string> {
    const stages = await this.verbatims.countByStage();
    const rows = Object.entries(stages)
      .map(([stage, count]) => `<tr><td>${escapeHtml(stage)}</td><td>${count}</td></tr>`)
      .join('');
    const database =
      this.config.databaseUrl === null
        ? `embedded PostgreSQL (PGlite) in ${this.config.dataDir}`
        : 'PostgreSQL';
    const jobs =
      this.config.redisUrl === null
        ? 'in-process jobs'
        : 'BullMQ on Redis (<a href="/admin/queues">queues</a>)';
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LoveBoard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}td{padding:.2rem 1rem .2rem 0}</style></head>
<body><h1>LoveBoard</h1><p>Customer-feedback triage: verbatims in, irritants scored on four axes, a weekly board out.</p>
<p>Running in <strong>${escapeHtml(this.config.mode)}</strong> mode: ${escapeHtml(database)}, ${jobs}.</p>
<h2>Verbatims by stage</h2><table>${rows || '<tr><td>none yet</td></tr>'}</table>
<h2>Next</h2><ul><li><a href="/api/docs">API documentation</a> (OpenAPI)</li><li><a href="/api/v1/verbatims">GET /api/v1/verbatims</a></li><li><a href="/health">/health</a></li></ul>
<p>The triage UI comes with a later release.</p></body></html>`;
  }
}
