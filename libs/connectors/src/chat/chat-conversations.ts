import { Injectable } from '@nestjs/common';
import { Channel, SourceKind, VerbatimRepository } from '@app/database';
import { ExternalIds, IngestService, MAX_TEXT_LENGTH, VerbatimInput, checkVerbatim } from '@app/ingest';
import { CustomerTurn, MAX_PARTS, grow, partExternalId, turnsOf } from './conversation';
import type { ChatMessage } from './platforms';

/** What a chat source makes of its customers' messages (`settings.verbatimPer`). */
export type VerbatimPer = 'conversation' | 'turn';

/** A verbatim as a growth sees it, and the change made to it (see VerbatimGrowthService). */
interface Current {
  rawText: string;
  metadata: Record<string, unknown>;
  channel: Channel;
}

/**
 * Grows an existing verbatim: given by the analysis layer (a grown verbatim leaves its irritant and
 * is read again), which this library may not import.
 */
export interface ConversationGrower {
  grow(verbatimId: string, change: (current: Current) => Current | null): Promise<string>;
}

export interface ChatReceipt {
  stored: number;
  duplicates: number;
  /** Conversation verbatims that got new messages (or a bot's failure). */
  grown: number;
  skipped: { id: string; reason: string }[];
  refused: { id: string; reason: string; input: unknown }[];
}

/** What a bot says when it did not understand, French and English. */
export const BOT_FAILURE =
  /\b(?:je n'ai pas (?:bien )?compris|je ne comprends pas|pouvez-vous reformuler|je ne peux pas (?:vous )?(?:aider|répondre)|i (?:did not|didn't|don't|do not) understand|could you rephrase|i can(?:not|'t) help with)/i;

/** A message of a conversation, and what the transcript format says of it besides. */
export interface ConversationMessage extends ChatMessage {
  /** The bot said it could not answer (the platform knows; otherwise the words tell). */
  failed?: boolean;
}

/** Facts about the whole conversation a delivery knows (a transcript's), kept on its verbatim. */
export interface ConversationFacts {
  platform: string;
  agentTurns?: number;
  botTurns?: number;
  userAgent?: string;
}

const MAX_FAILED_TURNS = 100;

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((one): one is string => typeof one === 'string') : [];

/**
 * The customers' messages of chat conversations as verbatims, idempotent on every replay: one per
 * message (`turn`), or one per conversation that grows with each new message (`conversation`, see
 * conversation.ts). Agents' messages are not the customer's words (skipped); a bot's failure to
 * answer is a signal on the conversation (`botFailures`, and the chatbot channel).
 */
@Injectable()
export class ChatConversations {
  constructor(
    private readonly ingest: IngestService,
    private readonly verbatims: VerbatimRepository,
    private readonly externalIds: ExternalIds,
  ) {}

  async receive(
    source: string,
    messages: ConversationMessage[],
    per: VerbatimPer,
    facts: ConversationFacts,
    grower: ConversationGrower,
  ): Promise<ChatReceipt> {
    const receipt: ChatReceipt = { stored: 0, duplicates: 0, grown: 0, skipped: [], refused: [] };
    const byConversation = new Map<string, ConversationMessage[]>();
    for (const message of messages) {
      byConversation.set(message.conversationId, [
        ...(byConversation.get(message.conversationId) ?? []),
        message,
      ]);
    }
    for (const [conversationId, conversation] of byConversation) {
      const customer = conversation.filter((message) => message.role === 'customer');
      const bots = conversation.filter((message) => message.role === 'bot');
      const failed = bots.filter((message) => message.failed === true || BOT_FAILURE.test(message.text));
      for (const message of conversation) {
        if (message.role === 'agent')
          receipt.skipped.push({
            id: message.messageId,
            reason: "an agent's message (not the customer's words)",
          });
        else if (message.role === 'bot' && !failed.includes(message))
          receipt.skipped.push({
            id: message.messageId,
            reason: "a bot's answer (not the customer's words)",
          });
      }
      const author =
        customer.find((message) => message.customerId)?.customerId ??
        conversation.find((message) => message.customerId)?.customerId ??
        `${facts.platform}:conversation:${conversationId}`;
      if (per === 'turn') {
        await this.perTurn(source, conversationId, customer, bots.length > 0, facts, author, receipt);
        for (const message of failed)
          receipt.skipped.push({
            id: message.messageId,
            reason: "a bot's failure to answer (per-turn verbatims carry no conversation signal)",
          });
      } else {
        await this.perConversation(
          source,
          conversationId,
          customer,
          bots.length > 0,
          failed,
          facts,
          author,
          grower,
          receipt,
        );
      }
    }
    return receipt;
  }

  private async perTurn(
    source: string,
    conversationId: string,
    customer: ConversationMessage[],
    bot: boolean,
    facts: ConversationFacts,
    author: string,
    receipt: ChatReceipt,
  ): Promise<void> {
    const items: VerbatimInput[] = [];
    for (const message of customer) {
      const item = {
        source,
        externalId: `${conversationId}:${message.messageId}`.slice(0, 512),
        author: message.customerId ?? author,
        channel: bot ? Channel.Chatbot : Channel.Chat,
        receivedAt: message.at,
        text: message.text.slice(0, MAX_TEXT_LENGTH),
        metadata: { platform: facts.platform, conversationId, messageId: message.messageId },
      };
      const check = checkVerbatim(item);
      if (check.ok) items.push(check.value);
      else receipt.refused.push({ id: message.messageId, reason: check.reason, input: null });
    }
    const refs = await this.ingest.storeAndHandOn(items, SourceKind.Chat);
    const created = refs.filter((ref) => ref.created).length;
    receipt.stored += created;
    receipt.duplicates += refs.length - created;
  }

  private async perConversation(
    source: string,
    conversationId: string,
    customer: ConversationMessage[],
    bot: boolean,
    failed: ConversationMessage[],
    facts: ConversationFacts,
    author: string,
    grower: ConversationGrower,
    receipt: ChatReceipt,
  ): Promise<void> {
    if (customer.length === 0 && failed.length === 0) return;
    let remaining: CustomerTurn[] = customer.map((message) => ({
      id: message.messageId,
      at: message.at,
      text: message.text,
    }));
    let changed = false;
    let created = false;
    // What a part's metadata says of the whole conversation; the bot's failures on the first part.
    const described = (metadata: Record<string, unknown>, channel: Channel, part: number) => {
      const failures =
        part === 1
          ? [...new Set([...stringList(metadata.failedBotTurns), ...failed.map((m) => m.messageId)])].slice(
              0,
              MAX_FAILED_TURNS,
            )
          : [];
      return {
        metadata: {
          ...metadata,
          platform: facts.platform,
          conversationId,
          ...(facts.agentTurns !== undefined
            ? { agentTurns: Math.max(facts.agentTurns, Number(metadata.agentTurns) || 0) }
            : {}),
          ...(facts.botTurns !== undefined
            ? { botTurns: Math.max(facts.botTurns, Number(metadata.botTurns) || 0) }
            : {}),
          ...(facts.userAgent ? { userAgent: facts.userAgent.slice(0, 500) } : {}),
          ...(part > 1 ? { part } : {}),
          failedBotTurns: failures,
          botFailures: failures.length,
          ...(failures.length > 0 ? { botFailed: true } : {}),
        },
        channel: bot || channel === Channel.Chatbot ? Channel.Chatbot : Channel.Chat,
      };
    };
    for (let part = 1; part <= MAX_PARTS; part++) {
      const externalId = partExternalId(conversationId, part);
      const stored = await this.verbatims.findByExternalId(source, this.externalIds.stored(externalId));
      if (!stored) {
        if (remaining.length === 0) {
          if (part > 1) break;
          for (const message of failed)
            receipt.skipped.push({
              id: message.messageId,
              reason: "a bot's failure before the customer wrote",
            });
          return;
        }
        const growth = grow(null, remaining);
        const { metadata, channel } = described({}, Channel.Chat, part);
        const check = checkVerbatim({
          source,
          externalId,
          author,
          channel,
          receivedAt: growth.turns[0].at,
          text: growth.text,
          metadata: { ...metadata, turns: growth.turns, customerTurns: growth.turns.length },
        });
        if (!check.ok) {
          receipt.refused.push({ id: conversationId, reason: check.reason, input: null });
          return;
        }
        const [ref] = await this.ingest.storeAndHandOn([check.value], SourceKind.Chat);
        // An erased person's conversation: skipped, not stored again.
        if (ref?.suppressed) return;
        if (!ref?.created) {
          // Stored meanwhile by a concurrent delivery: this part grows instead.
          part--;
          continue;
        }
        created = true;
        remaining = growth.overflow;
        continue;
      }
      let overflow: CustomerTurn[] = [];
      const outcome = await grower.grow(stored.id, (current) => {
        const growth = grow({ text: current.rawText, turns: turnsOf(current.metadata) }, remaining);
        overflow = growth.overflow;
        const next = described(current.metadata, current.channel, part);
        const metadata = { ...next.metadata, turns: growth.turns, customerTurns: growth.turns.length };
        const rawText = growth.added.length > 0 ? growth.text : current.rawText;
        if (
          rawText === current.rawText &&
          next.channel === current.channel &&
          sameJson(metadata, current.metadata)
        )
          return null;
        return { rawText, metadata, channel: next.channel };
      });
      if (outcome === 'grown' || outcome === 'updated') changed = true;
      remaining = overflow;
      if (remaining.length === 0) break;
    }
    if (created) receipt.stored++;
    else if (changed) receipt.grown++;
    else receipt.duplicates++;
  }
}

/** JSON equality whatever the key order (jsonb gives keys back in its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
