import { MigrationInterface, QueryRunner } from 'typeorm';

/** Triage decisions that teach clustering: pinned verbatims, feedback rows, a fitted threshold per model. */
export class TriageFeedback1795920673517 implements MigrationInterface {
  name = 'TriageFeedback1795920673517';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "irritant_feedback" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(8) NOT NULL, "verbatim_id" uuid, "irritant_id" uuid NOT NULL, "similarity" real NOT NULL, "should_join" boolean NOT NULL, "actor" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40ce8fcda8d6fada70e8fc536b0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_irritant_feedback_created" ON "irritant_feedback"  ("created_at") `,
    );
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "irritant_pinned_by" character varying(80)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "irritant_pinned_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "classifier_model" ADD "join_threshold" real`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "classifier_model" DROP COLUMN "join_threshold"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "irritant_pinned_at"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "irritant_pinned_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_irritant_feedback_created"`);
    await queryRunner.query(`DROP TABLE "irritant_feedback"`);
  }
}
