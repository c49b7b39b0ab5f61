import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A trained category classifier, kept as a versioned artefact; the newest one classifies. */
@Entity('classifier_model')
@Index('uq_classifier_model_version', ['version'], { unique: true })
export class ClassifierModel {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Derived from the artefact's bytes: the same training gives the same version. */
  @Column({ type: 'varchar', length: 64 })
  version: string;

  @Column({ type: 'varchar', length: 64 })
  taxonomy: string;

  @Column({ type: 'bytea' })
  artefact: Buffer;

  /** The sentiment model trained with it (null: a model stored before sentiment was learnt). */
  @Column({ name: 'sentiment_artefact', type: 'bytea', nullable: true })
  sentimentArtefact: Buffer | null;

  /**
   * The cosine at which a verbatim joins an irritant, fitted to the triage team's moves, splits
   * and merges (null: the default).
   */
  @Column({ name: 'join_threshold', type: 'real', nullable: true })
  joinThreshold: number | null;

  @Column({ name: 'trained_on', type: 'integer' })
  trainedOn: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
