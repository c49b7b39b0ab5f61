import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Irritant } from './irritant.entity';
import { Source } from './source.entity';

export enum Channel {
  Email = 'email',
  Chat = 'chat',
  Chatbot = 'chatbot',
  Twitter = 'twitter',
  Forum = 'forum',
  Facebook = 'facebook',
  Instagram = 'instagram',
  Survey = 'survey',
  Phone = 'phone',
  Other = 'other',
}

/**
 * Where a verbatim stands in the pipeline. A stage moves a verbatim forward only from the stage
 * before it, so a replayed job finds nothing to do.
 */
export enum VerbatimStage {
  /** Stored as received; redaction and normalisation pending. */
  Received = 'received',
  /** Redacted and normalised: safe to show and to analyse. */
  Ingested = 'ingested',
  /** Language, category, sentiment, intent and terminal known. */
  Analyzed = 'analyzed',
  /** Attached to an irritant. */
  Clustered = 'clustered',
}

export const SEARCH_VECTOR_SQL =
  "to_tsvector('english'::regconfig, coalesce(redacted_text, '')) || to_tsvector('french'::regconfig, coalesce(redacted_text, ''))";

/** What a customer said, once, in one channel. */
@Entity('verbatim')
@Index('uq_verbatim_source_external', ['sourceId', 'externalId'], { unique: true })
@Index('ix_verbatim_received', ['receivedAt', 'id'])
@Index('ix_verbatim_stage', ['stage', 'createdAt'])
@Index('ix_verbatim_author', ['authorKey'])
@Index('ix_verbatim_triage', ['needsTriage', 'receivedAt'])
@Index('ix_verbatim_category', ['category', 'receivedAt'])
@Index('ix_verbatim_irritant', ['irritantId', 'receivedAt'])
export class Verbatim {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => Source, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id', foreignKeyConstraintName: 'fk_verbatim_source' })
  source?: Source;

  @Column({ name: 'external_id', type: 'varchar', length: 512 })
  externalId: string;

  /** HMAC of the author's identity: counts distinct customers without storing who they are. */
  @Column({ name: 'author_key', type: 'varchar', length: 64 })
  authorKey: string;

  @Column({ type: 'varchar', length: 16 })
  channel: Channel;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  /** The text as the customer wrote it; shown only to the triage team, never logged or mailed. */
  @Column({ name: 'raw_text', type: 'text' })
  rawText: string;

  /** The text with personal data replaced by placeholders: what is displayed, searched and analysed. */
  @Column({ name: 'redacted_text', type: 'text', nullable: true })
  redactedText: string | null;

  /** Language given by the source (ISO 639-1), or detected by analysis. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  lang: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata: Record<string, unknown>;

  /**
   * French and English full-text search over the redacted text only, so that nobody finds a
   * customer by searching for their e-mail address or phone number. Written by a trigger when the
   * redacted text or the language is, in the verbatim's language (migration
   * SearchIndexTrigger): never by the application.
   */
  @Index('ix_verbatim_search', { synchronize: false })
  @Column({
    name: 'search_vector',
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;

  @Column({ type: 'varchar', length: 16, default: VerbatimStage.Received })
  stage: VerbatimStage;

  @Column({ type: 'varchar', length: 32, nullable: true })
  category: string | null;

  @Column({ name: 'category_confidence', type: 'real', nullable: true })
  categoryConfidence: number | null;

  /** The classifier was unsure: a person should confirm the category. */
  @Column({ name: 'needs_triage', type: 'boolean', default: false })
  needsTriage: boolean;

  /** -1 (furious) .. 1 (delighted). */
  @Column({ type: 'real', nullable: true })
  sentiment: number | null;

  @Column({ name: 'sentiment_label', type: 'varchar', length: 8, nullable: true })
  sentimentLabel: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  intent: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  terminal: string | null;

  @Column({ name: 'irritant_id', type: 'uuid', nullable: true })
  irritantId: string | null;

  @ManyToOne(() => Irritant, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'irritant_id', foreignKeyConstraintName: 'fk_verbatim_irritant' })
  irritant?: Irritant | null;

  /**
   * Who put the verbatim in its irritant by hand (a move or a split): clustering never moves a
   * pinned verbatim again.
   */
  @Column({ name: 'irritant_pinned_by', type: 'varchar', length: 80, nullable: true })
  irritantPinnedBy: string | null;

  @Column({ name: 'irritant_pinned_at', type: 'timestamptz', nullable: true })
  irritantPinnedAt: Date | null;

  /** Who corrected the category (`apikey:<id>`, `user:<id>`): corrections train the next model. */
  @Column({ name: 'category_corrected_by', type: 'varchar', length: 80, nullable: true })
  categoryCorrectedBy: string | null;

  @Column({ name: 'category_corrected_at', type: 'timestamptz', nullable: true })
  categoryCorrectedAt: Date | null;

  /** Who corrected the sentiment; corrections train the next sentiment model. */
  @Column({ name: 'sentiment_corrected_by', type: 'varchar', length: 80, nullable: true })
  sentimentCorrectedBy: string | null;

  @Column({ name: 'sentiment_corrected_at', type: 'timestamptz', nullable: true })
  sentimentCorrectedAt: Date | null;

  /** The classifier version that chose the category, so that a retrain can tell what it changed. */
  @Column({ name: 'model_version', type: 'varchar', length: 64, nullable: true })
  modelVersion: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'ingested_at', type: 'timestamptz', nullable: true })
  ingestedAt: Date | null;

  @Column({ name: 'analyzed_at', type: 'timestamptz', nullable: true })
  analyzedAt: Date | null;
}
