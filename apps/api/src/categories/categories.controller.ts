import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { AcceptsBody, BATCH_BODY_BYTES } from '../http/body-parser';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { TaxonomyRepository } from '@app/database';
import { MIN_NEW_CATEGORY_EXAMPLES, TaxonomyService } from '@app/analysis';
import { ADMINS, READERS, Roles } from '../auth/access.decorators';
import { type AuthenticatedRequest, actorOf } from '../auth/api-key.guard';

class CategoryLabel {
  @ApiProperty({ example: 'Bagages' }) @IsString() @Length(1, 80) fr: string;
  @ApiProperty({ example: 'Luggage' }) @IsString() @Length(1, 80) en: string;
}

class NewCategoryBody {
  @ApiProperty({ example: 'luggage', description: '2-32 lower-case letters, digits or _' })
  @Matches(/^[a-z][a-z0-9_]{1,31}$/, {
    message: 'key must be 2-32 lower-case letters, digits or _, starting with a letter',
  })
  key: string;

  @ApiProperty({ type: CategoryLabel })
  @ValidateNested()
  @Type(() => CategoryLabel)
  label: CategoryLabel;

  @ApiPropertyOptional({ description: 'Not about the site or the app (routed to another department)' })
  @IsOptional()
  @IsBoolean()
  offSite?: boolean;

  @ApiProperty({
    type: [String],
    description: `At least ${MIN_NEW_CATEGORY_EXAMPLES} customer messages of the category, French and English; redacted before they are kept`,
  })
  @IsArray()
  @ArrayMinSize(MIN_NEW_CATEGORY_EXAMPLES)
  @ArrayMaxSize(5_000)
  @IsString({ each: true })
  @Length(3, 2_000, { each: true })
  examples: string[];
}

class ExamplesBody {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5_000)
  @IsString({ each: true })
  @Length(3, 2_000, { each: true })
  examples: string[];
}

class CategoryView {
  @ApiProperty() key: string;
  @ApiProperty({ type: CategoryLabel }) label: CategoryLabel;
  @ApiProperty() offSite: boolean;
  @ApiProperty({ description: 'Added by an admin (not shipped)' }) custom: boolean;
  @ApiProperty({ description: 'Examples admins gave it (the shipped ones not counted)' }) examples: number;
}

class CategoryKeyView {
  @ApiProperty() key: string;
}

class ExamplesAddedView {
  @ApiProperty({ description: 'Distinct examples kept, redacted' }) added: number;
}

@ApiTags('categories')
@ApiBearerAuth()
// Examples come by the thousand (5,000 per request): more than the default megabyte.
@AcceptsBody({ limit: BATCH_BODY_BYTES })
@Controller('api/v1/categories')
export class CategoriesController {
  constructor(
    private readonly taxonomy: TaxonomyService,
    private readonly rows: TaxonomyRepository,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The taxonomy in force: shipped categories and those admins added' })
  @ApiOkResponse({ type: [CategoryView] })
  async list(): Promise<CategoryView[]> {
    const [taxonomy, counts] = await Promise.all([this.taxonomy.taxonomy(), this.rows.exampleCounts()]);
    return taxonomy.categories.map((category) => ({
      key: category.key,
      label: category.label,
      offSite: category.offSite === true,
      custom: taxonomy.custom.has(category.key),
      examples: counts.get(category.key) ?? 0,
    }));
  }

  @Post()
  @Roles(...ADMINS)
  @ApiOperation({
    summary:
      'Add a category with its examples (admin, audited); the next model learns it (nlp:train, model.retrain), keeping every correction',
  })
  @ApiCreatedResponse({ type: CategoryKeyView })
  async add(@Body() body: NewCategoryBody, @Req() request: AuthenticatedRequest): Promise<CategoryKeyView> {
    await this.taxonomy.add(body, actorOf(request));
    return { key: body.key };
  }

  @Post(':key/examples')
  @Roles(...ADMINS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a category (shipped or added) more examples (admin, audited)' })
  @ApiOkResponse({ type: ExamplesAddedView })
  async examples(
    @Param('key') key: string,
    @Body() body: ExamplesBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<ExamplesAddedView> {
    return { added: await this.taxonomy.addExamples(key, body.examples, actorOf(request)) };
  }
}
