import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Header,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Clock } from '@app/config';
import {
  MAX_EMAIL_BYTES,
  SourcesService,
  checkHubSignature,
  emailVerbatim,
  checkTimestampedSignature,
  checkTranscript,
  checkPlatformSignature,
  readChatPlatform,
  readEmail,
  readMetaEvents,
  transcriptMessages,
  CHAT_PLATFORMS,
  ChatConversations,
  type ChatPlatform,
  type ChatReceipt,
  type VerbatimPer,
} from '@app/connectors';
import { VerbatimGrowthService } from '@app/analysis';
import { DeadLetterRepository, Source, SourceKind } from '@app/database';
import { IngestService, VerbatimInput, checkVerbatim } from '@app/ingest';
import { Public } from '../auth/access.decorators';
import {
  AcceptsBody,
  MAX_MAIL_BODY_BYTES,
  type RequestWithRawBody,
  WEBHOOK_BODY_BYTES,
} from '../http/body-parser';

/** A dead letter keeps the event it could not read, up to this size (beyond: its first bytes, as text). */
const MAX_DEAD_LETTER_INPUT = 64 * 1024;

function boundedInput(input: unknown): unknown {
  const json = JSON.stringify(input ?? null);
  return json.length <= MAX_DEAD_LETTER_INPUT ? input : { truncated: json.slice(0, MAX_DEAD_LETTER_INPUT) };
}

class SkippedReason {
  @ApiProperty({ description: 'The item’s id at the sender' }) id: string;
  @ApiProperty() reason: string;
}

class ReceivedView {
  @ApiProperty() stored: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() skipped: number;
  @ApiPropertyOptional({
    type: [SkippedReason],
    description: 'Why each skipped item is not a verbatim (a bounce, an auto-reply, the page’s own comment…)',
  })
  skippedReasons?: SkippedReason[];
  @ApiPropertyOptional({ description: 'Events that could not be read, each a dead letter with its cause' })
  deadLettered?: number;
  @ApiPropertyOptional({ description: 'Conversation verbatims that got new messages' }) grown?: number;
}

/**
 * Where push sources deliver: no API key (the senders are chat platforms and Meta), each request
 * verified by its source's signature over the raw body instead.
 */
@ApiTags('inbound webhooks')
// Signed, not authenticated by a key: read under a small limit of their own, bytes kept for the check.
@AcceptsBody({ limit: WEBHOOK_BODY_BYTES, keepRaw: true })
@Controller('api/v1/webhooks')
export class InboundWebhooksController {
  private readonly logger = new Logger(InboundWebhooksController.name);

  constructor(
    private readonly sources: SourcesService,
    private readonly ingest: IngestService,
    private readonly deadLetters: DeadLetterRepository,
    private readonly clock: Clock,
    private readonly conversations: ChatConversations,
    private readonly growth: VerbatimGrowthService,
  ) {}

  @Post('chat/:sourceId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      "A chat conversation: LoveBoard's transcript format (X-LoveBoard-Timestamp, X-LoveBoard-Signature), or the source's platform's own webhook (settings.platform: chatwoot, intercom, crisp, zendesk) with its own signature (docs/CONNECTORS.md)",
  })
  @ApiOkResponse({ type: ReceivedView })
  async chat(
    @Param('sourceId', new ParseUUIDPipe()) sourceId: string,
    @Req() request: RequestWithRawBody,
    @Headers('x-loveboard-timestamp') timestamp: string | undefined,
    @Headers('x-loveboard-signature') signature: string | undefined,
  ): Promise<ReceivedView> {
    const source = await this.source(sourceId, SourceKind.Chat);
    const platform = source.settings.platform ?? 'loveboard';
    if (platform !== 'loveboard' && !(CHAT_PLATFORMS as readonly unknown[]).includes(platform))
      throw new BadRequestException(
        `the source's settings.platform must be loveboard, ${CHAT_PLATFORMS.join(', ')}: fix the source`,
      );
    const secret = this.sources.secretsOf(source).signingSecret;
    const raw = request.rawBody ?? Buffer.alloc(0);
    const refused = !secret
      ? 'the source has no signing secret'
      : platform === 'loveboard'
        ? checkTimestampedSignature(secret, timestamp, signature, raw)
        : checkPlatformSignature(platform as ChatPlatform, secret, request.headers, raw);
    if (refused) throw new UnauthorizedException(refused);
    const per: VerbatimPer = source.settings.verbatimPer === 'turn' ? 'turn' : 'conversation';
    if (platform === 'loveboard') {
      // Our own format is our contract with the sender's developers: a malformed one is a 400.
      const checked = checkTranscript(request.body);
      if (checked.errors) throw new BadRequestException(checked.errors);
      const { messages, facts } = transcriptMessages(checked.transcript);
      return this.received(
        source,
        await this.conversations.receive(source.name, messages, per, facts, this.growth),
      );
    }
    // A platform's webhook: it retries what is not a 2xx, so from here each event is stored,
    // skipped with its reason or dead-lettered on its own.
    const reading = readChatPlatform(platform as ChatPlatform, request.body);
    const receipt = await this.conversations.receive(
      source.name,
      reading.messages,
      per,
      { platform: platform as ChatPlatform },
      this.growth,
    );
    return this.received(source, {
      ...receipt,
      skipped: [...reading.skipped, ...receipt.skipped],
      refused: [...reading.refused, ...receipt.refused],
    });
  }

  /** A chat delivery's answer; its refused events as dead letters, its skips logged. */
  private async received(source: Source, receipt: ChatReceipt): Promise<ReceivedView> {
    for (const refusal of receipt.refused) {
      await this.deadLetters.record({
        jobName: 'source.chat',
        jobId: `${source.name}:${refusal.id}`.slice(0, 256),
        payload: { sourceId: source.id, event: refusal.id },
        input: boundedInput(refusal.input),
        cause: refusal.reason,
        attempts: 1,
      });
    }
    this.logSkipped(source, receipt.skipped);
    return {
      stored: receipt.stored,
      duplicates: receipt.duplicates,
      skipped: receipt.skipped.length,
      ...(receipt.grown > 0 ? { grown: receipt.grown } : {}),
      ...(receipt.skipped.length > 0 ? { skippedReasons: receipt.skipped.slice(0, 1_000) } : {}),
      ...(receipt.refused.length > 0 ? { deadLettered: receipt.refused.length } : {}),
    };
  }

  @Post('email/:sourceId')
  @Public()
  @AcceptsBody({ limit: MAX_MAIL_BODY_BYTES, accept: 'bytes' })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'One raw MIME message pushed by a mail provider, signed like chat transcripts; auto-generated mail is skipped, over 10 MB refused',
  })
  @ApiOkResponse({ type: ReceivedView })
  async email(
    @Param('sourceId', new ParseUUIDPipe()) sourceId: string,
    @Req() request: RequestWithRawBody,
    @Headers('x-loveboard-timestamp') timestamp: string | undefined,
    @Headers('x-loveboard-signature') signature: string | undefined,
  ): Promise<ReceivedView> {
    const source = await this.source(sourceId, SourceKind.Email);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const secret = this.sources.secretsOf(source).signingSecret;
    const refused = secret
      ? checkTimestampedSignature(secret, timestamp, signature, raw)
      : 'the source has no signing secret';
    if (refused) throw new UnauthorizedException(refused);
    if (raw.length === 0) throw new BadRequestException('the body must be the raw message (message/rfc822)');
    const reading = await readEmail(raw);
    // Pushed now: the time it arrived, should its own Date be missing or out of range.
    const now = this.clock.now();
    const outcome = emailVerbatim(source.name, reading, now, now);
    if ('skipped' in outcome) {
      const skipped = [{ id: reading.messageId ?? 'unknown', reason: outcome.skipped }];
      this.logSkipped(source, skipped);
      return { stored: 0, duplicates: 0, skipped: 1, skippedReasons: skipped };
    }
    if ('refused' in outcome) {
      await this.deadLetters.record({
        jobName: 'source.email',
        jobId: `${source.name}:${reading.messageId ?? 'unknown'}`.slice(0, 256),
        payload: { sourceId: source.id, messageId: reading.messageId },
        input: null,
        cause: outcome.refused,
        attempts: 1,
      });
      const status = raw.length > MAX_EMAIL_BYTES ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
      throw new HttpException(outcome.refused, status);
    }
    return this.store(source, [outcome.verbatim], 0);
  }

  @Get('facebook/:sourceId')
  @Public()
  @ApiOperation({
    summary: 'Meta’s subscription handshake: answers hub.challenge when hub.verify_token matches',
  })
  // Plain text: the challenge is echoed back, never to be read as a page.
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'hub.challenge' })
  async facebookHandshake(
    @Param('sourceId', new ParseUUIDPipe()) sourceId: string,
    @Query('hub.mode') mode: string | undefined,
    @Query('hub.verify_token') token: string | undefined,
    @Query('hub.challenge') challenge: string | undefined,
  ): Promise<string> {
    const source = await this.source(sourceId, SourceKind.Facebook);
    const expected = this.sources.secretsOf(source).verifyToken;
    if (mode !== 'subscribe' || !expected || token !== expected)
      throw new ForbiddenException('verification refused');
    if (!challenge || !/^[\w-]{1,200}$/.test(challenge))
      throw new BadRequestException('hub.challenge is missing or malformed');
    return challenge;
  }

  @Post('facebook/:sourceId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Meta webhooks (Facebook page feed, Messenger, Instagram comments and messages), signed X-Hub-Signature-256 over the raw body; always 200 once the signature holds',
  })
  @ApiOkResponse({ type: ReceivedView })
  async facebook(
    @Param('sourceId', new ParseUUIDPipe()) sourceId: string,
    @Req() request: RequestWithRawBody,
    @Headers('x-hub-signature-256') signature: string | undefined,
  ): Promise<ReceivedView> {
    const source = await this.source(sourceId, SourceKind.Facebook);
    const secret = this.sources.secretsOf(source).appSecret;
    const refused = secret
      ? checkHubSignature(secret, signature, request.rawBody ?? Buffer.alloc(0))
      : 'the source has no app secret';
    if (refused) throw new UnauthorizedException(refused);
    // Meta retries anything but a 200, forever: from here on, each event is stored, skipped with its
    // reason or dead-lettered on its own, and the answer is 200.
    const reading = readMetaEvents(source.name, request.body, this.clock.now());
    const refusals = [...reading.refused];
    const items = reading.items.filter((item) => {
      const check = checkVerbatim(item);
      if (!check.ok) refusals.push({ id: item.externalId, reason: check.reason, input: item });
      return check.ok;
    });
    for (const refusal of refusals) {
      await this.deadLetters.record({
        jobName: 'source.facebook',
        jobId: `${source.name}:${refusal.id}`.slice(0, 256),
        payload: { sourceId: source.id, event: refusal.id },
        input: boundedInput(refusal.input),
        cause: refusal.reason,
        attempts: 1,
      });
    }
    this.logSkipped(source, reading.skipped);
    const received = await this.store(source, items, reading.skipped.length);
    return {
      ...received,
      ...(reading.skipped.length > 0 ? { skippedReasons: reading.skipped.slice(0, 1_000) } : {}),
      ...(refusals.length > 0 ? { deadLettered: refusals.length } : {}),
    };
  }

  /**
   * Skips are counted and said, never stored: the log holds each reason and how many times, not the
   * platform's ids (they identify people) nor any customer text.
   */
  private logSkipped(source: Source, skipped: { id: string; reason: string }[]): void {
    if (skipped.length === 0) return;
    const reasons: Record<string, number> = {};
    for (const { reason } of skipped) reasons[reason] = (reasons[reason] ?? 0) + 1;
    this.logger.log({ source: source.name, skipped: reasons }, 'skipped, not verbatims');
  }

  private async source(id: string, kind: SourceKind): Promise<Source> {
    // Only "no such source" is a 404. A database that does not answer must surface as a 5xx: senders
    // retry those, while a 4xx tells a chat platform or Meta to drop the delivery for good.
    let source: Source | null;
    try {
      source = await this.sources.get(id);
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      source = null;
    }
    if (!source || source.kind !== kind || !source.enabled)
      throw new NotFoundException(`no ${kind} source ${id}`);
    return source;
  }

  private async store(source: Source, items: VerbatimInput[], skipped: number): Promise<ReceivedView> {
    // The connectors build these from hostile input: the same checks as the ingestion API.
    const bad = items.flatMap((item, i) => {
      const check = checkVerbatim(item);
      return check.ok ? [] : [`item ${i}: ${check.reason}`];
    });
    if (bad.length > 0) throw new BadRequestException(bad.slice(0, 50));
    const refs = await this.ingest.storeAndHandOn(items, source.kind);
    const stored = refs.filter((ref) => ref.created).length;
    return { stored, duplicates: refs.length - stored, skipped };
  }
}
