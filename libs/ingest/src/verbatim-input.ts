import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import {
  IsEnum,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  validateSync,
} from 'class-validator';
import { Channel, mapStrings, wellFormed } from '@app/database';
import { describeValidationErrors } from '@app/config';

/** Longest verbatim text accepted, in characters (a long e-mail is about 5,000). */
export const MAX_TEXT_LENGTH = 20_000;
/** Most verbatims in one request or one import chunk's database round trip. */
export const MAX_BATCH_SIZE = 1_000;
/** Metadata is for small source-specific facts (subject, device), not for payloads. */
export const MAX_METADATA_BYTES = 8_192;
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** One verbatim as a source hands it over. */
export class VerbatimInput {
  @ApiProperty({
    description: 'Name of the source (lower case, digits, `.`, `_`, `-`; created on first use)',
    example: 'email-support',
  })
  @IsString()
  @Matches(SOURCE_NAME_PATTERN, {
    message: 'source must be 1-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
  })
  source: string;

  @ApiProperty({
    description: "The source's own id of this verbatim: posting it again changes nothing",
    example: '<CA+1f3@mail.example.com>',
  })
  @IsString()
  @Length(1, 512)
  externalId: string;

  @ApiProperty({
    description: 'Who wrote it (e-mail, handle, customer id); stored only as a keyed hash',
    example: 'jeanne@example.com',
  })
  @IsString()
  @Length(1, 320)
  author: string;

  @ApiProperty({ enum: Channel, description: 'Where the customer spoke' })
  @IsEnum(Channel, { message: `channel must be one of ${Object.values(Channel).join(', ')}` })
  channel: Channel;

  @ApiProperty({
    description: 'When the customer spoke (ISO 8601 with a time zone)',
    example: '2026-11-23T09:14:00Z',
  })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'receivedAt must be an ISO 8601 date-time' })
  receivedAt: string;

  @ApiProperty({
    description: `What the customer said, at most ${MAX_TEXT_LENGTH} characters`,
    example: 'Paiement refusé à l’étape 3-D Secure sur mobile',
  })
  @IsString()
  @Length(1, MAX_TEXT_LENGTH, { message: `text must be 1 to ${MAX_TEXT_LENGTH} characters` })
  text: string;

  @ApiPropertyOptional({ description: 'Language if the source knows it (ISO 639-1)', example: 'fr' })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'lang must be a two-letter ISO 639-1 code such as fr or en' })
  lang?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `Source-specific facts, a JSON object of at most ${MAX_METADATA_BYTES} bytes`,
    example: { subject: 'Remboursement' },
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export type VerbatimCheck =
  { ok: true; value: VerbatimInput } | { ok: false; reason: string; tooLarge: boolean };

// PostgreSQL refuses NUL in text and in jsonb: caught here as a reason, not later as a 500.
const hasNul = (value: string) => value.includes('\u0000');
function jsonHasNul(value: unknown): boolean {
  if (typeof value === 'string') return hasNul(value);
  if (Array.isArray(value)) return value.some(jsonHasNul);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => hasNul(k) || jsonHasNul(v));
  return false;
}

/**
 * Checks one untrusted item. `tooLarge` marks the limits that deserve a 413 rather than a 400.
 * The receivedAt bounds catch unit mistakes (seconds vs milliseconds) and clocks far off.
 */
export function checkVerbatim(item: unknown, now: Date = new Date()): VerbatimCheck {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { ok: false, reason: 'must be a JSON object', tooLarge: false };
  }
  const text = (item as { text?: unknown }).text;
  if (typeof text === 'string' && text.length > MAX_TEXT_LENGTH) {
    return {
      ok: false,
      reason: `text is ${text.length} characters; the limit is ${MAX_TEXT_LENGTH}`,
      tooLarge: true,
    };
  }
  // class-transformer throws a TypeError on nested objects whose own key "constructor" is not a
  // function (e.g. {"source":[{"constructor":"x"}]}): such input is malformed, not a server error.
  let value: VerbatimInput;
  try {
    value = plainToInstance(VerbatimInput, item);
  } catch {
    return {
      ok: false,
      reason: 'malformed object (a "constructor" key is not allowed here)',
      tooLarge: false,
    };
  }
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0)
    return { ok: false, reason: describeValidationErrors(errors).join('; '), tooLarge: false };
  if (value.metadata !== undefined) {
    const size = Buffer.byteLength(JSON.stringify(value.metadata));
    if (size > MAX_METADATA_BYTES) {
      return {
        ok: false,
        reason: `metadata is ${size} bytes; the limit is ${MAX_METADATA_BYTES}`,
        tooLarge: true,
      };
    }
  }
  for (const field of ['externalId', 'author', 'text'] as const) {
    if (hasNul(value[field]))
      return { ok: false, reason: `${field} must not contain NUL (U+0000) characters`, tooLarge: false };
  }
  if (jsonHasNul(value.metadata))
    return { ok: false, reason: 'metadata must not contain NUL (U+0000) characters', tooLarge: false };
  const receivedAt = Date.parse(value.receivedAt);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value.receivedAt)) {
    return { ok: false, reason: 'receivedAt must carry a time zone (Z or ±hh:mm)', tooLarge: false };
  }
  if (
    Number.isNaN(receivedAt) ||
    receivedAt < Date.UTC(2000, 0, 1) ||
    receivedAt > now.getTime() + 86_400_000
  ) {
    return {
      ok: false,
      reason: 'receivedAt must be between 2000-01-01 and one day from now',
      tooLarge: false,
    };
  }
  // Lone UTF-16 surrogates cannot be stored: UTF-8 turns them into U+FFFD and jsonb refuses them (a
  // 500). Replaced here, as storage would. Not in externalId: it is stored as a keyed hash of its
  // exact UTF-16 code units, so "a\ud800" and "a\udc00" stay two ids.
  for (const field of ['source', 'author', 'text'] as const) value[field] = wellFormed(value[field]);
  if (value.metadata !== undefined)
    value.metadata = wellFormedJson(value.metadata) as Record<string, unknown>;
  return { ok: true, value };
}

const wellFormedJson = (value: unknown): unknown => mapStrings(value, wellFormed);
