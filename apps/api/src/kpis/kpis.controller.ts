import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { AcceptsBody, BATCH_BODY_BYTES } from '../http/body-parser';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsEnum,
  IsISO8601,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Kpi, KpiDirection, Role, SurveyKind } from '@app/database';
import { KpiService, KpiWeek } from '@app/monitoring';
import { ADMINS, READERS, Roles, TRIAGERS } from '../auth/access.decorators';

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

class KpiBody {
  @ApiProperty({ example: 'Error-page rate' }) @IsString() @Length(1, 120) name: string;
  @ApiProperty({ example: '%' }) @IsString() @Length(1, 16) unit: string;
  @ApiProperty({ enum: KpiDirection })
  @IsEnum(KpiDirection, { message: 'direction must be higher or lower' })
  direction: KpiDirection;
  @ApiProperty({ nullable: true, type: Number })
  @ValidateIf((body: KpiBody) => body.target !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'target must be a number or null' })
  target: number | null;
}

class PointInput {
  @ApiProperty({ example: '2026-11-23T09:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'at must be an ISO 8601 date-time' })
  at: string;

  @ApiProperty()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'value must be a finite number' })
  value: number;
}

class PointsBody {
  @ApiProperty({ type: [PointInput] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => PointInput)
  points: PointInput[];
}

class WeeklyQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 104, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(104)
  weeks?: number;
}

class SurveyAnswerBody {
  @ApiProperty({ description: 'The survey tool’s own id: posting it again stores nothing' })
  @IsString()
  @Length(1, 200)
  answerId: string;

  @ApiProperty({ enum: SurveyKind })
  @IsEnum(SurveyKind, { message: 'kind must be nps or csat' })
  kind: SurveyKind;

  @ApiProperty({ description: 'NPS 0-10, CSAT 1-5' })
  @IsInt({ message: 'score must be a whole number' })
  score: number;

  @ApiProperty({ example: '2026-11-23T09:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'answeredAt must be an ISO 8601 date-time' })
  answeredAt: string;

  @ApiPropertyOptional({ description: 'The customer’s comment: it also becomes a verbatim' })
  @IsOptional()
  @IsString()
  @Length(0, 20_000)
  comment?: string;

  @ApiPropertyOptional({ description: 'The customer (e-mail, customer id): stored as a keyed hash' })
  @IsOptional()
  @IsString()
  @Length(1, 320)
  customer?: string;

  @ApiPropertyOptional({ enum: ['fr', 'en'] }) @IsOptional() @IsIn(['fr', 'en']) lang?: string;
}

class SurveyAnswersBody {
  @ApiProperty({ type: [SurveyAnswerBody] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => SurveyAnswerBody)
  answers: SurveyAnswerBody[];
}

class KpiWeekView implements KpiWeek {
  @ApiProperty() isoWeek: string;
  @ApiProperty({ nullable: true, type: Number }) value: number | null;
  @ApiProperty({ description: 'Points or answers behind it' }) n: number;
  @ApiProperty({ nullable: true, type: Number, description: '95% interval half-width (NPS, CSAT)' }) ci95:
    number | null;
  @ApiPropertyOptional({ description: 'The week is not over yet (the current week): its figure will move' })
  partial?: boolean;
}

/** Where a KPI stands against its target, its interval taken into account. */
export type KpiStanding = 'on_target' | 'off_target' | 'uncertain' | 'no_target' | 'no_value';

/**
 * On (or off) target only when the whole 95% interval is on that side of the target: NPS 50 from
 * 2 answers (±69) is not "on target" for a target of 30, it is "not enough answers" (uncertain).
 */
export function standing(week: KpiWeek, target: number | null, direction: KpiDirection): KpiStanding {
  if (week.value === null) return 'no_value';
  if (target === null) return 'no_target';
  const margin = week.ci95 ?? 0;
  const [worst, best] =
    direction === KpiDirection.HigherIsBetter
      ? [week.value - margin, week.value + margin]
      : [week.value + margin, week.value - margin];
  const meets = (value: number) =>
    direction === KpiDirection.HigherIsBetter ? value >= target : value <= target;
  if (meets(worst)) return 'on_target';
  if (!meets(best)) return 'off_target';
  return 'uncertain';
}

class KpiView {
  @ApiProperty() key: string;
  @ApiPropertyOptional({ type: KpiWeekView, description: 'This week so far' }) current?: KpiWeekView;
  @ApiPropertyOptional({ type: KpiWeekView, description: 'The week before' }) previous?: KpiWeekView;
  @ApiPropertyOptional({
    enum: ['up', 'down', 'flat'],
    nullable: true,
    description: 'This week against the week before',
  })
  trend?: 'up' | 'down' | 'flat' | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Boolean,
    description: 'true or false only when the 95% interval says so (see `standing`); null otherwise',
  })
  onTarget?: boolean | null;
  @ApiPropertyOptional({
    enum: ['on_target', 'off_target', 'uncertain', 'no_target', 'no_value'],
    description: 'This week against the target, interval included: `uncertain` means not enough answers',
  })
  standing?: KpiStanding;
  @ApiProperty() name: string;
  @ApiProperty() unit: string;
  @ApiProperty({ enum: KpiDirection }) direction: string;
  @ApiProperty({ nullable: true, type: Number }) target: number | null;
  @ApiProperty({ description: 'Computed from survey answers' }) fromSurveys: boolean;
}

class StoredView {
  @ApiProperty() stored: number;
}

class KpiImportView extends StoredView {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Points stored per KPI key',
  })
  kpis: Record<string, number>;
}

class SurveyAnswersView extends StoredView {
  @ApiProperty({ description: 'Answer ids already stored: nothing changed for them' }) duplicates: number;
}

const view = (kpi: Kpi): KpiView => ({
  key: kpi.key,
  name: kpi.name,
  unit: kpi.unit,
  direction: kpi.direction,
  target: kpi.target,
  fromSurveys: kpi.fromSurveys,
});

function checkedKey(key: string): string {
  if (!KEY.test(key)) throw new BadRequestException('a KPI key is a-z, 0-9 and _, starting with a letter');
  return key;
}

@ApiTags('kpis')
@ApiBearerAuth()
// Points and answers come in batches (10,000 points, 1,000 answers): more than the default megabyte.
@AcceptsBody({ limit: BATCH_BODY_BYTES })
@Controller('api/v1')
export class KpisController {
  constructor(private readonly kpis: KpiService) {}

  @Get('kpis')
  @Roles(...READERS)
  @ApiOperation({ summary: 'KPIs: unit, direction, target, this week’s value, the week before, trend' })
  @ApiOkResponse({ type: [KpiView] })
  async list(): Promise<KpiView[]> {
    const views: KpiView[] = [];
    for (const kpi of await this.kpis.list()) {
      const [previous, current] = await this.kpis.weekly(kpi.key, 2);
      const trend =
        current.value === null || previous.value === null
          ? null
          : current.value > previous.value
            ? 'up'
            : current.value < previous.value
              ? 'down'
              : 'flat';
      const where = standing(current, kpi.target, kpi.direction);
      const onTarget = where === 'on_target' ? true : where === 'off_target' ? false : null;
      views.push({
        ...view(kpi),
        current: { ...current, partial: true },
        previous,
        trend,
        onTarget,
        standing: where,
      });
    }
    return views;
  }

  @Put('kpis/:key')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Define a KPI or change its target (admin)' })
  @ApiOkResponse({ type: KpiView })
  async define(@Param('key') key: string, @Body() body: KpiBody): Promise<KpiView> {
    return view(await this.kpis.define({ key: checkedKey(key), ...body }));
  }

  @Post('kpis/import')
  @Roles(...TRIAGERS, Role.Developer)
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @AcceptsBody({ accept: 'csv', limit: 3 * BATCH_BODY_BYTES })
  @ApiOperation({
    summary:
      'Import a web-analytics export (text/csv with kpi,at,value): all or nothing, every bad line named',
  })
  @ApiOkResponse({ type: KpiImportView })
  async importCsv(@Body() body: unknown): Promise<KpiImportView> {
    if (typeof body !== 'string' || body.trim() === '')
      throw new BadRequestException('send the CSV as text/csv');
    return this.kpis.importCsv(body);
  }

  @Get('kpis/:key/weekly')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'A KPI per ISO week (mean of points; NPS and CSAT from answers, with a 95% interval)',
  })
  @ApiOkResponse({ type: [KpiWeekView] })
  async weekly(@Param('key') key: string, @Query() query: WeeklyQuery): Promise<KpiWeekView[]> {
    const weeks = await this.kpis.weekly(checkedKey(key), query.weeks ?? 12);
    // The series ends with the week now running: it is not over.
    return weeks.map((week, index) => ({ ...week, partial: index === weeks.length - 1 }));
  }

  @Post('kpis/:key/points')
  @Roles(...TRIAGERS, Role.Developer)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Push points of a KPI (up to 10,000); a point at an instant already measured replaces it',
  })
  @ApiOkResponse({ type: StoredView })
  async points(@Param('key') key: string, @Body() body: PointsBody): Promise<StoredView> {
    return { stored: await this.kpis.addPoints(checkedKey(key), body.points) };
  }

  @Post('surveys/answers')
  @Roles(...TRIAGERS, Role.Developer)
  @HttpCode(200)
  @ApiOperation({
    summary: 'NPS (0-10) and CSAT (1-5) answers, once per answer id; comments become verbatims',
  })
  @ApiOkResponse({ type: SurveyAnswersView })
  async answers(@Body() body: SurveyAnswersBody): Promise<SurveyAnswersView> {
    return this.kpis.answer(body.answers);
  }
}
