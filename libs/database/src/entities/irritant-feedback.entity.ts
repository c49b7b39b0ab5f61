import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum FeedbackKind {
  Move = 'move',
  Split = 'split',
  Merge = 'merge',
}

/**
 * What a triager's move, split or merge taught about clustering: the similarity between a verbatim
 * (or an irritant) and an irritant, and whether the person decided they belong together. The next
 * training fits the join threshold to these. Irritant ids are kept without a foreign key: merged
 * irritants are deleted, the lesson stays.
 */
@Entity('irritant_feedback')
@Index('ix_irritant_feedback_created', ['createdAt'])
export class IrritantFeedback {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  kind: FeedbackKind;

  @Column({ name: 'verbatim_id', type: 'uuid', nullable: true })
  verbatimId: string | null;

  @Column({ name: 'irritant_id', type: 'uuid' })
  irritantId: string;

  @Column({ type: 'real' })
  similarity: number;

  @Column({ name: 'should_join', type: 'boolean' })
  shouldJoin: boolean;

  @Column({ type: 'varchar', length: 80 })
  actor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
