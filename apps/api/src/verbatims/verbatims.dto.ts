import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsISO8601,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  IsUUID,
} from 'class-validator';
import { Channel } from '@app/database';
import { SOURCE_NAME_PATTERN } from '@app/ingest';
import { DEFAULT_TAXONOMY, categoryKeys } from '@app/nlp';

export class ListVerbatimsQuery {
  @ApiPropertyOptional({ description: 'Source name' })
  @IsOptional()
  @Matches(SOURCE_NAME_PATTERN, { message: 'source must be a source name' })
  source?: string;

  @ApiPropertyOptional({ enum: Channel })
  @IsOptional()
  @IsEnum(Channel, { message: `channel must be one of ${Object.values(Channel).join(', ')}` })
  channel?: Channel;

  @ApiPropertyOptional({ description: 'Received at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({ description: 'Received before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date' })
  to?: string;

  @ApiPropertyOptional({
    description: 'Full-text query, French and English (web-search syntax: "exact phrase", -word, or)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Category key (see the taxonomy)' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'category must be a category key' })
  category?: string;

  @ApiPropertyOptional({ description: 'Language detected (ISO 639-1: fr, en…)', example: 'fr' })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'lang must be a two-letter language code (fr, en…)' })
  lang?: string;

  @ApiPropertyOptional({ description: 'Only the verbatims of this irritant' })
  @IsOptional()
  @IsUUID('all', { message: 'irritant must be an irritant id' })
  irritant?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only the verbatims whose category the classifier was unsure of',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'needsTriage must be true or false' })
  needsTriage?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class IngestItemResult {
  @ApiProperty({ description: 'Position in the request' }) index: number;
  @ApiProperty({ nullable: true, type: String, description: 'null when suppressed' }) id: string | null;
  @ApiProperty() source: string;
  @ApiProperty() externalId: string;
  @ApiProperty({
    enum: ['created', 'duplicate', 'suppressed'],
    description: 'suppressed: its author was erased (GDPR), so it was skipped, not stored',
  })
  status: 'created' | 'duplicate' | 'suppressed';
}

export class IngestResult {
  @ApiProperty() created: number;
  @ApiProperty() duplicates: number;
  @ApiProperty({ type: [IngestItemResult] }) items: IngestItemResult[];
}

class PlacementFrom {
  @ApiProperty() id: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'Left empty, it was deleted (its id now redirects to `to`)' }) deleted: boolean;
}

class PlacementTo {
  @ApiProperty() id: string;
  @ApiProperty() label: string;
  @ApiProperty() category: string;
  @ApiProperty() verbatimCount: number;
  @ApiProperty({ description: 'It started an irritant of its own (one verbatim)' }) created: boolean;
}

/** Where a triage action put a verbatim: what the person is told. */
export class Placement {
  @ApiProperty({ nullable: true, type: PlacementFrom }) from: PlacementFrom | null;
  @ApiProperty({ nullable: true, type: PlacementTo, description: 'null: not clustered yet' })
  to: PlacementTo | null;
  @ApiProperty() moved: boolean;
}

export class VerbatimView {
  @ApiProperty() id: string;
  @ApiProperty() source: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The source's id of the message (a keyed hash when it names a person); null for viewers",
  })
  externalId: string | null;
  @ApiProperty({ enum: Channel }) channel: Channel;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ nullable: true, type: String }) lang: string | null;
  @ApiProperty({ description: 'The text with personal data replaced by placeholders' }) text: string;
  @ApiProperty({ description: 'Pipeline stage reached' }) stage: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Source-specific facts, redacted' })
  metadata: Record<string, unknown>;
  @ApiProperty({ description: 'Hash of the author: equal for the same customer' }) authorKey: string;
  @ApiProperty({ nullable: true, type: String, description: 'Category key, once analysed' }) category:
    string | null;
  @ApiProperty({ nullable: true, type: Number, description: '0..1' }) categoryConfidence: number | null;
  @ApiProperty({ description: 'The classifier was unsure: a person should confirm the category' })
  needsTriage: boolean;
  @ApiProperty({ nullable: true, type: Number, description: '-1 (furious) .. 1 (delighted)' }) sentiment:
    number | null;
  @ApiProperty({ nullable: true, type: String, enum: ['negative', 'neutral', 'positive'] }) sentimentLabel:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Who corrected the sentiment (null: the analysis)',
  })
  sentimentCorrectedBy: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['complaint', 'bug_report', 'question', 'idea', 'praise'],
  })
  intent: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['desktop_web', 'mobile_web', 'ios_app', 'android_app', 'unknown'],
  })
  terminal: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Classifier version that chose the category' })
  modelVersion: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The irritant it belongs to, once clustered' })
  irritantId: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Its irritant’s name (lists only), for reading without opening it',
  })
  irritantLabel?: string | null;
  @ApiProperty({ description: 'Put in its irritant by a person: clustering leaves it there' })
  irritantPinned: boolean;
  @ApiPropertyOptional({
    description: 'As written, personal data included (triagers and admins, single verbatim only)',
  })
  rawText?: string;
  @ApiPropertyOptional({
    type: Placement,
    description: 'After a move or a category correction: the irritant it left and the one it joined',
  })
  placement?: Placement;
}

export class VerbatimPage {
  @ApiProperty({ type: [VerbatimView] }) items: VerbatimView[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor: string | null;
}

export class MoveVerbatimBody {
  @ApiProperty({
    description:
      'The irritant the verbatim belongs to; if of another category, the category is corrected too (trains the next model)',
  })
  @IsUUID('all', { message: 'irritantId must be an irritant id' })
  irritantId: string;
}

export class CorrectSentimentBody {
  @ApiProperty({
    enum: ['negative', 'neutral', 'positive'],
    description: 'What the customer feels; it replaces the analysis and trains the next sentiment model',
  })
  @IsIn(['negative', 'neutral', 'positive'], { message: 'label must be one of negative, neutral, positive' })
  label: 'negative' | 'neutral' | 'positive';
}

export class CorrectCategoryBody {
  @ApiProperty({
    example: 'payment',
    description: 'The right category (a key of GET /api/v1/categories); it trains the next model',
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, {
    message: `category must be one of ${categoryKeys(DEFAULT_TAXONOMY).join(', ')} or a category an admin added`,
  })
  category: string;
}
