import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Source } from './source.entity';

export enum Channel {
  Email = 'email',
  Chat = 'chat',
  Chatbot = 'chatbot',
  Twitter = 'twitter',
  Forum = 'forum',
  Facebook = 'facebook',
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
}

export const SEARCH_VECTOR_SQL =
  "to_tsvector('english'::regconfig, coalesce(redacted_text, '')) || to_tsvector('french'::regconfig, coalesce(redacted_text, ''))";

/** What a customer said, once, in one channel. */
@Entity('verbatim')
@Index('uq_verbatim_source_external', ['sourceId', 'externalId'], { unique: true })
@Index('ix_verbatim_received', ['receivedAt', 'id'])
@Index('ix_verbatim_stage', ['stage', 'createdAt'])
@Index('ix_verbatim_author', ['authorKey'])
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
   * customer by searching for their e-mail address or phone number.
   */
  @Index('ix_verbatim_search', { synchronize: false })
  @Column({
    name: 'search_vector',
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: SEARCH_VECTOR_SQL,
  })
  searchVector?: string;

  @Column({ type: 'varchar', length: 16, default: VerbatimStage.Received })
  stage: VerbatimStage;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'ingested_at', type: 'timestamptz', nullable: true })
  ingestedAt: Date | null;
}
