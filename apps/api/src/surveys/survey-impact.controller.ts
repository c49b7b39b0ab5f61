import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, Clock } from '@app/config';
import { IrritantRepository } from '@app/database';
import { KpiService, SurveyImpact } from '@app/monitoring';
import { READERS, Roles } from '../auth/access.decorators';

class SurveyImpactFigure implements SurveyImpact {
  @ApiProperty({ description: 'Points the score would gain without the customers who mention it' })
  points: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Half-width of the 95% interval of points' })
  ci95: number | null;
  @ApiProperty({ description: 'The score over every answer of the window' }) overall: number;
  @ApiProperty({ description: 'The score without the mentioning customers’ answers' }) without: number;
  @ApiProperty({ description: 'Answers in the window' }) answers: number;
  @ApiProperty({ description: 'Answers of the customers who mention the irritant' }) mentioning: number;
}

class SurveyImpactView {
  @ApiProperty() irritantId: string;
  @ApiProperty({ description: 'SURVEY_IMPACT_DAYS' }) windowDays: number;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ nullable: true, type: SurveyImpactFigure }) nps: SurveyImpactFigure | null;
  @ApiProperty({ nullable: true, type: SurveyImpactFigure }) csat: SurveyImpactFigure | null;
}

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('api/v1/irritants')
export class SurveyImpactController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly irritants: IrritantRepository,
    private readonly kpis: KpiService,
  ) {}

  @Get(':id/survey-impact')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'The NPS and CSAT points an irritant costs: the score without the customers whose survey comments mention it, minus the score with them, with its 95% interval (SURVEY_IMPACT_DAYS)',
  })
  @ApiOkResponse({ type: SurveyImpactView })
  async impact(@Param('id', new ParseUUIDPipe()) id: string): Promise<SurveyImpactView> {
    if (!(await this.irritants.findById(id))) throw new NotFoundException(`irritant ${id} does not exist`);
    const to = this.clock.now();
    const found = (await this.kpis.surveyImpacts([id], to)).get(id);
    return {
      irritantId: id,
      windowDays: this.config.surveyImpactDays,
      from: new Date(to.getTime() - this.config.surveyImpactDays * 86_400_000).toISOString(),
      to: to.toISOString(),
      nps: found?.nps ?? null,
      csat: found?.csat ?? null,
    };
  }
}
