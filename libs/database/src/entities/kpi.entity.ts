import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export enum KpiDirection {
  HigherIsBetter = 'higher',
  LowerIsBetter = 'lower',
}

/** A series the team watches (NPS, CSAT, error-page rate, page load time…), with its target. */
@Entity('kpi')
export class Kpi {
  /** `nps`, `csat`, `error_page_rate`, … */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  key: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** `%`, `ms`, `s`, `points`. */
  @Column({ type: 'varchar', length: 16 })
  unit: string;

  @Column({ type: 'varchar', length: 8 })
  direction: KpiDirection;

  @Column({ type: 'real', nullable: true })
  target: number | null;

  /** Computed from survey answers (NPS, CSAT) rather than from points. */
  @Column({ name: 'from_surveys', type: 'boolean', default: false })
  fromSurveys: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One measure of a KPI at an instant; the same instant measured again replaces it. */
@Entity('kpi_point')
@Index('uq_kpi_point', ['kpiKey', 'at'], { unique: true })
export class KpiPoint {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'kpi_key', type: 'varchar', length: 40 })
  kpiKey: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'double precision' })
  value: number;

  /** `api`, `csv`, `monitor`. */
  @Column({ type: 'varchar', length: 16 })
  origin: string;
}

export enum SurveyKind {
  Nps = 'nps',
  Csat = 'csat',
}

/** An answer to an NPS (0-10) or CSAT (1-5) survey; its comment is also a verbatim. */
@Entity('survey_answer')
@Index('uq_survey_answer', ['answerId'], { unique: true })
@Index('ix_survey_answer_kind_at', ['kind', 'answeredAt'])
export class SurveyAnswer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The survey tool's own id: an answer posted twice is stored once. */
  @Column({ name: 'answer_id', type: 'varchar', length: 200 })
  answerId: string;

  @Column({ type: 'varchar', length: 4 })
  kind: SurveyKind;

  @Column({ type: 'smallint' })
  score: number;

  /** The keyed hash of the customer, when given. */
  @Column({ name: 'author_key', type: 'varchar', length: 64, nullable: true })
  authorKey: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz' })
  answeredAt: Date;

  @Column({ name: 'verbatim_id', type: 'uuid', nullable: true })
  verbatimId: string | null;
}
