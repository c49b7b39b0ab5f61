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
import type { ConversationFacts, ConversationMessage } from './chat-conversations';
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
 * A transcript's turns as the messages of its conversation (a turn without its own id is named by
 * its place, which a platform that posts the whole transcript again keeps), and what it says of the
 * whole conversation. ChatConversations makes them verbatims.
 */
export function transcriptMessages(transcript: Transcript): {
  messages: ConversationMessage[];
  facts: ConversationFacts;
} {
  const messages = transcript.turns
    .map((turn, index) => ({
      conversationId: transcript.conversationId,
      messageId: turn.id ?? String(index),
      role: turn.role,
      text: turn.text.trim(),
      at: new Date(turn.at).toISOString(),
      customerId: transcript.customer.id,
      ...(turn.failed ? { failed: true } : {}),
    }))
    .filter((message) => message.text !== '' || message.failed === true);
  return {
    messages,
    facts: {
      platform: 'loveboard',
      agentTurns: transcript.turns.filter((turn) => turn.role === 'agent').length,
      botTurns: transcript.turns.filter((turn) => turn.role === 'bot').length,
      ...(transcript.userAgent ? { userAgent: transcript.userAgent } : {}),
    },
  };
}
