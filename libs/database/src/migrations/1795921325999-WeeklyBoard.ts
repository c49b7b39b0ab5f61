import { MigrationInterface, QueryRunner } from 'typeorm';

/** The weekly board: one row per ISO week, its ranked items, and the axis overrides people made. */
export class WeeklyBoard1795921325999 implements MigrationInterface {
  name = 'WeeklyBoard1795921325999';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "board" ("iso_week" character varying(8) NOT NULL, "status" character varying(8) NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "frozen_at" TIMESTAMP WITH TIME ZONE, "profile" character varying(60) NOT NULL, CONSTRAINT "PK_48aff53bb23b7cfce140d1215f2" PRIMARY KEY ("iso_week"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "board_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "iso_week" character varying(8) NOT NULL, "irritant_id" uuid NOT NULL, "rank" integer NOT NULL, "category" character varying(32) NOT NULL, "label" character varying(200) NOT NULL, "axes" jsonb NOT NULL, "total" real NOT NULL, "movement" character varying(10) NOT NULL, "rank_change" integer, "verbatim_count" integer NOT NULL, "distinct_customers" integer NOT NULL, "channels" jsonb NOT NULL, "terminals" jsonb NOT NULL, "quotes" jsonb NOT NULL, "monitors" jsonb NOT NULL DEFAULT '[]', "kpis" jsonb NOT NULL DEFAULT '[]', CONSTRAINT "PK_08cccc420548c5b2938b84a585e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_board_item_week_rank" ON "board_item"  ("iso_week", "rank") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_board_item_week_irritant" ON "board_item"  ("iso_week", "irritant_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "axis_override" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "irritant_id" uuid NOT NULL, "axis" character varying(10) NOT NULL, "score" real, "reason" character varying(500) NOT NULL, "actor" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_080f1bae16f76ee63cdcc7fffe5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_axis_override_irritant" ON "axis_override"  ("irritant_id", "axis", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_axis_override_irritant"`);
    await queryRunner.query(`DROP TABLE "axis_override"`);
    await queryRunner.query(`DROP INDEX "public"."uq_board_item_week_irritant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_board_item_week_rank"`);
    await queryRunner.query(`DROP TABLE "board_item"`);
    await queryRunner.query(`DROP TABLE "board"`);
  }
}
