import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
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
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { ChatChannel, ChatKind, ChatMessage, ChatTopic } from '@app/database';
import { CHAT_KINDS, CHAT_TOPICS, ChatService } from '@app/notifications';
import { ADMINS, Roles } from '../auth/access.decorators';

class CreateChatChannelBody {
  @ApiProperty({ enum: CHAT_KINDS })
  @IsIn(CHAT_KINDS, { message: `kind must be one of ${CHAT_KINDS.join(', ')}` })
  kind: ChatKind;

  @ApiProperty({ example: '#customer-voice' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ enum: ['fr', 'en'], description: 'The language of its messages' })
  @IsIn(['fr', 'en'], { message: 'lang must be fr or en' })
  lang: 'fr' | 'en';

  @ApiProperty({ type: [String], enum: CHAT_TOPICS })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10)
  @IsIn(CHAT_TOPICS, { each: true, message: `topics must be among ${CHAT_TOPICS.join(', ')}` })
  topics: ChatTopic[];

  @ApiPropertyOptional({ description: 'Slack or Teams incoming webhook URL (https); stored sealed' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  url?: string;

  @ApiPropertyOptional({ description: 'Slack bot token (xoxb-…); stored sealed' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  token?: string;

  @ApiPropertyOptional({ description: 'Slack bot: the channel id it posts to (C0123456789)' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  channel?: string;

  @ApiPropertyOptional({ description: 'Slack bot: another Web API base (default https://slack.com/api/)' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  apiUrl?: string;
}

class MessagesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class ChatChannelView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CHAT_KINDS }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['fr', 'en'] }) lang: string;
  @ApiProperty({ type: [String], enum: CHAT_TOPICS }) topics: string[];
  @ApiProperty({ description: 'Where it posts, without the secret (a host, a channel)' }) target: string;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;
}

class ChatMessageView {
  @ApiProperty() id: string;
  @ApiProperty() topic: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number }) lastStatus: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The chat’s id of the message (Slack ts)' })
  remoteId: string | null;
  @ApiProperty() createdAt: string;
}

class TestMessageView {
  @ApiProperty({ description: 'The message queued (see its channel’s messages)' }) messageId: string;
}

class DigestPostedView {
  @ApiProperty({ description: 'false: it had been posted already this week' }) posted: boolean;
}

const view = (channel: ChatChannel): ChatChannelView => ({
  id: channel.id,
  kind: channel.kind,
  name: channel.name,
  lang: channel.lang,
  topics: channel.topics,
  target: channel.hint,
  active: channel.active,
  createdAt: channel.createdAt.toISOString(),
});

const messageView = (message: ChatMessage): ChatMessageView => ({
  id: message.id,
  topic: message.topic,
  status: message.status,
  attempts: message.attempts,
  lastStatus: message.lastStatus,
  lastError: message.lastError,
  lastAttemptAt: message.lastAttemptAt?.toISOString() ?? null,
  deliveredAt: message.deliveredAt?.toISOString() ?? null,
  remoteId: message.remoteId,
  createdAt: message.createdAt.toISOString(),
});

@ApiTags('chat')
@ApiBearerAuth()
@Controller('api/v1/chat-channels')
export class ChatChannelsController {
  constructor(private readonly chat: ChatService) {}

  @Post()
  @Roles(...ADMINS)
  @ApiOperation({
    summary:
      'Add a Slack (incoming webhook or bot token) or Microsoft Teams (incoming webhook) channel: its language and topics (digest, alert, overdue, unanswered)',
  })
  @ApiCreatedResponse({ type: ChatChannelView })
  async create(@Body() body: CreateChatChannelBody): Promise<ChatChannelView> {
    return view(await this.chat.create(body));
  }

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Chat channels (webhook URLs and tokens are never returned)' })
  @ApiOkResponse({ type: [ChatChannelView] })
  async list(): Promise<ChatChannelView[]> {
    return (await this.chat.list()).map(view);
  }

  @Delete(':id')
  @Roles(...ADMINS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Switch a channel off (its message log stays)' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.chat.deactivate(id);
  }

  @Get(':id/messages')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'The message log of a channel, newest first' })
  @ApiOkResponse({ type: [ChatMessageView] })
  async messages(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: MessagesQuery,
  ): Promise<ChatMessageView[]> {
    return (await this.chat.messages(id, query.limit ?? 100)).map(messageView);
  }

  @Post(':id/test')
  @Roles(...ADMINS)
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a test message to a channel now' })
  @ApiAcceptedResponse({ type: TestMessageView })
  async test(@Param('id', new ParseUUIDPipe()) id: string): Promise<TestMessageView> {
    return { messageId: await this.chat.test(id) };
  }

  @Post('digest/:isoWeek')
  @Roles(...ADMINS)
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Post a week’s summary to the channels that take digests now (once per week: it is also posted by itself on Monday)',
  })
  @ApiAcceptedResponse({ type: DigestPostedView })
  async digest(@Param('isoWeek') isoWeek: string): Promise<DigestPostedView> {
    return { posted: await this.chat.announceDigest(isoWeek) };
  }
}
