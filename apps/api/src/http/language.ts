import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Request, Response } from 'express';
import type { AxisView } from '@app/database';
import { LANGUAGES, Language, REASON_CODES, describeReason, reasonOf } from '@app/scoring';

/** `?lang=fr|en`: the language of the reasons' text; it wins over `Accept-Language`. */
export class LanguageQuery {
  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: 'Language of the reasons’ text; wins over Accept-Language (default en)',
  })
  @IsOptional()
  @IsIn(LANGUAGES, { message: `lang must be one of ${LANGUAGES.join(', ')}` })
  lang?: Language;
}

/** Documents the header the language is also read from. */
export const ApiLanguage = () =>
  applyDecorators(
    ApiHeader({
      name: 'Accept-Language',
      required: false,
      description: 'fr or en (e.g. `fr-FR,fr;q=0.9`) when `lang` is not given; English otherwise',
    }),
  );

/**
 * The language an answer is given in: `?lang=` when given (checked by LanguageQuery), else the
 * best of French and English in `Accept-Language`, else English. Said back in `Content-Language`,
 * and `Vary` tells caches the answer depends on the header.
 */
export function answerLanguage(request: Request, response: Response, asked?: Language): Language {
  const lang = asked ?? (request.acceptsLanguages(...LANGUAGES) || 'en');
  response.setHeader('Content-Language', lang);
  response.vary('Accept-Language');
  return lang as Language;
}

export class ReasonView {
  @ApiProperty({ enum: REASON_CODES, description: '`text`: a reason stored before reasons had codes' })
  code: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The figures and names the reason is made of (see docs/SCORING.md)',
  })
  params: Record<string, unknown>;
  @ApiProperty({ description: 'In English' }) text: string;
}

export class AxisOverrideView {
  @ApiProperty() score: number;
  @ApiProperty({ description: 'What the rules gave' }) computed: number;
  @ApiProperty() reason: string;
  @ApiProperty() by: string;
  @ApiProperty() at: string;
}

export class AxisScoreView {
  @ApiProperty({ minimum: 0, maximum: 100 }) score: number;
  @ApiProperty({
    type: [String],
    description: 'What produced the score, in words, in the language asked (lang, Accept-Language)',
  })
  reasons: string[];
  @ApiProperty({ type: [ReasonView], description: 'The same reasons with their codes and figures' })
  details: ReasonView[];
  @ApiPropertyOptional({
    type: AxisOverrideView,
    description: 'A person’s score in place of the computed one',
  })
  override?: AxisOverrideView;
}

/**
 * An axis as an answer shows it: the reasons said in the language asked, with their structured
 * form. A board frozen before reasons had codes holds English strings only: they read as `text`
 * reasons, in English whatever the language.
 */
export function axisView(axis: AxisView, lang: Language): AxisScoreView {
  const details = (axis.details ?? axis.reasons).map(reasonOf);
  return {
    score: axis.score,
    reasons: details.map((one) => describeReason(one, lang)),
    details,
    ...(axis.override ? { override: axis.override } : {}),
  };
}
