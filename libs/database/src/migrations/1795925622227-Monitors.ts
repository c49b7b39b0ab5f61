import { MigrationInterface, QueryRunner } from 'typeorm';

/** Synthetic-journey monitors, their runs step by step, and irritant links to monitors and KPIs. */
export class Monitors1795925622227 implements MigrationInterface {
  name = 'Monitors1795925622227';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "monitor" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "kind" character varying(8) NOT NULL, "steps" jsonb NOT NULL, "every_seconds" integer NOT NULL DEFAULT '300', "timeout_ms" integer NOT NULL DEFAULT '60000', "slow_ms" integer, "kpi_key" character varying(40), "categories" jsonb NOT NULL DEFAULT '[]', "enabled" boolean NOT NULL DEFAULT true, "last_run_at" TIMESTAMP WITH TIME ZONE, "last_status" character varying(8), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2206b1127c3617bd63373acba74" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "monitor_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "monitor_id" uuid NOT NULL, "slot" bigint NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "status" character varying(8) NOT NULL, "steps" jsonb NOT NULL, "screenshot" bytea, CONSTRAINT "PK_99ec358f0afcb99d457554fa8e5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_monitor_run_started" ON "monitor_run"  ("monitor_id", "started_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_monitor_run_slot" ON "monitor_run"  ("monitor_id", "slot") `,
    );
    await queryRunner.query(
      `CREATE TABLE "irritant_link" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "irritant_id" uuid NOT NULL, "monitor_id" uuid, "kpi_key" character varying(40), "actor" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_728bc67b93aa3383defe2ac2bf9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_irritant_link" ON "irritant_link"  ("irritant_id", "monitor_id", "kpi_key") NULLS NOT DISTINCT`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_irritant_link"`);
    await queryRunner.query(`DROP TABLE "irritant_link"`);
    await queryRunner.query(`DROP INDEX "public"."uq_monitor_run_slot"`);
    await queryRunner.query(`DROP INDEX "public"."ix_monitor_run_started"`);
    await queryRunner.query(`DROP TABLE "monitor_run"`);
    await queryRunner.query(`DROP TABLE "monitor"`);
  }
}
