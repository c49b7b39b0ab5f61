import {
  BadRequestException,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  AuditRepository,
  IrritantRepository,
  Role,
  SourceKind,
  SourceRepository,
  Verbatim,
  VerbatimRepository,
  Irritant,
  irritantTitle,
} from '@app/database';
import { IrritantTriageService, TaxonomyService } from '@app/analysis';
import { BoardService } from '@app/board';
import { IngestService, MAX_BATCH_SIZE, VerbatimInput, checkVerbatim } from '@app/ingest';
import { Redactor } from '@app/nlp';
import { IngestResult, ListVerbatimsQuery, Placement, VerbatimPage, VerbatimView } from './verbatims.dto';

const MAX_REASONS = 50;

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(at ?? '');
  if (Number.isNaN(receivedAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw new BadRequestException('cursor is not one this API gave out');
  }
  return { receivedAt, id };
}

const encodeCursor = (verbatim: Verbatim) =>
  Buffer.from(`${verbatim.receivedAt.toISOString()}|${verbatim.id}`).toString('base64url');

@Injectable()
export class VerbatimsService {
  private readonly redactor = new Redactor();

  constructor(
    private readonly ingest: IngestService,
    private readonly verbatims: VerbatimRepository,
    private readonly sources: SourceRepository,
    private readonly audit: AuditRepository,
    private readonly triage: IrritantTriageService,
    private readonly irritants: IrritantRepository,
    private readonly boards: BoardService,
    private readonly taxonomy: TaxonomyService,
  ) {}

  /** All or nothing: one bad item refuses the whole batch, with the reason of each bad item. */
  async ingestBatch(body: unknown): Promise<IngestResult> {
    const items = Array.isArray(body) ? body : [body];
    if (items.length === 0) throw new BadRequestException('the batch is empty');
    if (items.length > MAX_BATCH_SIZE) {
      throw new HttpException(
        {
          message: `batch of ${items.length} verbatims; the limit is ${MAX_BATCH_SIZE} per request`,
          error: 'Payload Too Large',
        },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    }
    const valid: VerbatimInput[] = [];
    const problems: { index: number; reason: string; tooLarge: boolean }[] = [];
    items.forEach((item, index) => {
      const check = checkVerbatim(item);
      if (check.ok) valid.push(check.value);
      else problems.push({ index, reason: check.reason, tooLarge: check.tooLarge });
    });
    if (problems.length > 0) {
      const status = problems.some((p) => p.tooLarge) ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
      const details = problems.slice(0, MAX_REASONS).map(({ index, reason }) => ({ index, reason }));
      const prefix = Array.isArray(body) ? `verbatim [${details[0].index}] ` : '';
      throw new HttpException(
        {
          message: `${problems.length} invalid verbatim(s), nothing stored: ${prefix}${details[0].reason}`,
          error: status === HttpStatus.PAYLOAD_TOO_LARGE ? 'Payload Too Large' : 'Bad Request',
          details,
        },
        status,
      );
    }
    const refs = await this.ingest.storeAndHandOn(valid, SourceKind.Api);
    const created = refs.filter((ref) => ref.created).length;
    return {
      created,
      duplicates: refs.length - created,
      items: refs.map((ref, index) => ({
        index,
        id: ref.id,
        source: valid[index].source,
        externalId: ref.externalId,
        status: ref.created ? 'created' : 'duplicate',
      })),
    };
  }

  async list(query: ListVerbatimsQuery, role: Role): Promise<VerbatimPage> {
    const limit = query.limit ?? 50;
    let sourceId: string | undefined;
    if (query.source) {
      const source = await this.sources.findByName(query.source);
      if (!source) return { items: [], nextCursor: null };
      sourceId = source.id;
    }
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to) throw new BadRequestException('from must not be after to');
    const rows = await this.verbatims.findPage({
      sourceId,
      channel: query.channel,
      from,
      to,
      query: query.q?.trim() || undefined,
      category: query.category,
      irritantId: query.irritant,
      lang: query.lang,
      needsTriage: query.needsTriage === undefined ? undefined : query.needsTriage === 'true',
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const irritantIds = [...new Set(page.flatMap((verbatim) => verbatim.irritantId ?? []))];
    const labels = new Map(
      (irritantIds.length > 0 ? await this.irritants.findByIds(irritantIds) : []).map((irritant) => [
        irritant.id,
        irritant.label,
      ]),
    );
    return {
      items: page.map((verbatim) => ({
        ...this.view(verbatim, role, false),
        irritantLabel: verbatim.irritantId ? (labels.get(verbatim.irritantId) ?? null) : null,
      })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  async get(id: string, role: Role): Promise<VerbatimView> {
    const verbatim = await this.verbatims.findById(id);
    if (!verbatim) throw new NotFoundException(`verbatim ${id} does not exist`);
    return this.view(verbatim, role, true);
  }

  async correctCategory(id: string, category: string, actor: string, role: Role): Promise<VerbatimView> {
    await this.taxonomy.check(category);
    const before = await this.verbatims.findById(id);
    const from = before?.irritantId ? await this.irritants.findById(before.irritantId) : null;
    const result = await this.verbatims.correctCategory(id, category, actor);
    if (!result) throw new NotFoundException(`verbatim ${id} does not exist`);
    await this.audit.record({
      actor,
      action: 'verbatim.category.correct',
      subjectType: 'verbatim',
      subjectId: id,
      before: { category: result.before },
      after: { category },
    });
    // It stays in its irritant (irritants follow the topic): the irritant's majority category is read again.
    if (result.before !== category) await this.triage.categoryCorrected(id);
    return this.placed(id, from, actor, role);
  }

  /** A person's sentiment for a verbatim (audited): the board reads it, the next model learns it. */
  async correctSentiment(
    id: string,
    label: 'negative' | 'neutral' | 'positive',
    actor: string,
    role: Role,
  ): Promise<VerbatimView> {
    const result = await this.verbatims.correctSentiment(id, label, actor);
    if (!result) throw new NotFoundException(`verbatim ${id} does not exist`);
    await this.audit.record({
      actor,
      action: 'verbatim.sentiment.correct',
      subjectType: 'verbatim',
      subjectId: id,
      before: { sentiment: result.before },
      after: { sentiment: label },
    });
    return this.get(id, role);
  }

  /** A person puts the verbatim in another irritant (audited; clustering leaves it there). */
  async moveToIrritant(id: string, irritantId: string, actor: string, role: Role): Promise<VerbatimView> {
    const before = await this.verbatims.findById(id);
    const from = before?.irritantId ? await this.irritants.findById(before.irritantId) : null;
    await this.triage.move(id, irritantId, actor);
    return this.placed(id, from, actor, role);
  }

  /**
   * The verbatim as it is now, with where it went (an irritant emptied by it redirects there),
   * once every live board it changes is recomputed: the person sees the result of the action.
   */
  private async placed(id: string, from: Irritant | null, actor: string, role: Role): Promise<VerbatimView> {
    const verbatim = await this.verbatims.findById(id);
    if (!verbatim) throw new NotFoundException(`verbatim ${id} does not exist`);
    const to = verbatim.irritantId ? await this.irritants.findById(verbatim.irritantId) : null;
    if (from && to && from.id !== to.id) await this.triage.redirectEmptied(from.id, to.id, actor);
    const left = from && from.id !== to?.id ? await this.irritants.findById(from.id) : null;
    await this.boards.refreshFor([from?.id, to?.id].filter((one): one is string => typeof one === 'string'));
    const placement: Placement = {
      from: from && { id: from.id, label: irritantTitle(from), deleted: from.id !== to?.id && left === null },
      to: to && {
        id: to.id,
        label: irritantTitle(to),
        category: to.category,
        verbatimCount: to.verbatimCount,
        created: to.verbatimCount === 1,
      },
      moved: (from?.id ?? null) !== (to?.id ?? null),
    };
    return { ...this.view(verbatim, role, true), placement };
  }

  private view(verbatim: Verbatim, role: Role, single: boolean): VerbatimView {
    const mayReadRaw = single && (role === Role.Triager || role === Role.Admin);
    return {
      id: verbatim.id,
      source: verbatim.source?.name ?? '',
      externalId: verbatim.externalId,
      channel: verbatim.channel,
      receivedAt: verbatim.receivedAt.toISOString(),
      lang: verbatim.lang,
      // Until the ingest stage has run, redact on the way out: unredacted text is never displayed.
      text: verbatim.redactedText ?? this.redactor.redact(verbatim.rawText),
      stage: verbatim.stage,
      metadata: this.redactMetadata(verbatim.metadata),
      authorKey: verbatim.authorKey,
      category: verbatim.category,
      categoryConfidence: verbatim.categoryConfidence,
      needsTriage: verbatim.needsTriage,
      sentiment: verbatim.sentiment,
      sentimentLabel: verbatim.sentimentLabel,
      sentimentCorrectedBy: verbatim.sentimentCorrectedBy,
      intent: verbatim.intent,
      terminal: verbatim.terminal,
      modelVersion: verbatim.modelVersion,
      irritantId: verbatim.irritantId,
      irritantPinned: verbatim.irritantPinnedAt !== null,
      ...(mayReadRaw ? { rawText: verbatim.rawText } : {}),
    };
  }

  private redactMetadata(value: unknown): Record<string, unknown> {
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.redactor.redact(item);
      if (Array.isArray(item)) return item.map(walk);
      if (item && typeof item === 'object')
        return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, walk(v)]));
      return item;
    };
    return walk(value) as Record<string, unknown>;
  }
}
