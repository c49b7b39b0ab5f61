import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { Channel } from '@app/database';
import type { VerbatimInput } from '@app/ingest';
import { describeValidationErrors } from '@app/config';

export class TranscriptTurn {
  /** The turn's own id, when the chat platform gives one (per-turn verbatims use it). */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  id?: string;

  @IsIn(['customer', 'agent', 'bot'], { message: 'role must be customer, agent or bot' })
  role: 'customer' | 'agent' | 'bot';

  @IsString()
  @Length(0, 20_000)
  text: string;

  @IsISO8601({ strict: true }, { message: 'at must be an ISO 8601 date-time' })
  at: string;

  /** The bot said it could not answer (the platform knows; otherwise the words tell). */
  @IsOptional()
  @IsBoolean()
  failed?: boolean;
}

export class TranscriptCustomer {
  /** The customer's id at the company, or their e-mail address, or the platform's visitor id. */
  @IsString()
  @Length(1, 320)
  id: string;
}

/** A chat or chatbot conversation, as a chat platform posts it (documented in docs/CONNECTORS.md). */
export class Transcript {
  @IsString()
  @Length(1, 200)
  conversationId: string;

  // ValidateNested alone lets a missing customer through, and the mapping then read its id (a 500).
  @IsObject({ message: 'customer must be an object with an id' })
  @ValidateNested()
  @Type(() => TranscriptCustomer)
  customer: TranscriptCustomer;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => TranscriptTurn)
  turns: TranscriptTurn[];

  @IsOptional()
  @IsString()
  @Length(0, 2_000)
  userAgent?: string;
}

/** What a bot says when it did not understand, French and English. */
const BOT_FAILURE =
  /\b(?:je n'ai pas (?:bien )?compris|je ne comprends pas|pouvez-vous reformuler|je ne peux pas (?:vous )?(?:aider|répondre)|i (?:did not|didn't|don't|do not) understand|could you rephrase|i can(?:not|'t) help with)/i;

export type TranscriptCheck =
  { transcript: Transcript; errors?: undefined } | { transcript?: undefined; errors: string[] };

export function checkTranscript(body: unknown): TranscriptCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { errors: ['a transcript is a JSON object'] };
  // class-transformer throws a TypeError on nested objects whose own key "constructor" is not a
  // function: a malformed transcript, answered 400, not a server error.
  let transcript: Transcript;
  try {
    transcript = plainToInstance(Transcript, body);
  } catch {
    return { errors: ['malformed transcript (a "constructor" key is not allowed here)'] };
  }
  const errors = describeValidationErrors(
    validateSync(transcript, { whitelist: true, forbidUnknownValues: true }),
  );
  return errors.length > 0 ? { errors: errors.slice(0, 50) } : { transcript };
}

/**
 * The customer's words in a transcript, as verbatims: one for the conversation (its customer
 * turns, in order) or one per customer turn. A bot turn that failed to answer is a signal: counted
 * in the metadata, and the verbatim is from the chatbot channel when a bot took part.
 */
export function transcriptVerbatims(
  source: string,
  transcript: Transcript,
  per: 'conversation' | 'turn',
): VerbatimInput[] {
  const customerTurns = transcript.turns.filter(
    (turn) => turn.role === 'customer' && turn.text.trim() !== '',
  );
  if (customerTurns.length === 0) return [];
  const botTurns = transcript.turns.filter((turn) => turn.role === 'bot');
  const botFailures = botTurns.filter((turn) => turn.failed === true || BOT_FAILURE.test(turn.text)).length;
  const channel = botTurns.length > 0 ? Channel.Chatbot : Channel.Chat;
  const metadata = {
    conversationId: transcript.conversationId,
    turns: transcript.turns.length,
    agentTurns: transcript.turns.filter((turn) => turn.role === 'agent').length,
    botTurns: botTurns.length,
    botFailures,
    ...(botFailures > 0 ? { botFailed: true } : {}),
    ...(transcript.userAgent ? { userAgent: transcript.userAgent } : {}),
  };
  const base = { source, author: transcript.customer.id, channel };
  if (per === 'turn') {
    return customerTurns.map((turn) => ({
      ...base,
      externalId: `${transcript.conversationId}:${turn.id ?? transcript.turns.indexOf(turn)}`,
      receivedAt: new Date(turn.at).toISOString(),
      text: turn.text.slice(0, 20_000),
      metadata,
    }));
  }
  return [
    {
      ...base,
      externalId: transcript.conversationId,
      receivedAt: new Date(customerTurns[0].at).toISOString(),
      text: customerTurns
        .map((turn) => turn.text.trim())
        .join('\n')
        .slice(0, 20_000),
      metadata,
    },
  ];
}
