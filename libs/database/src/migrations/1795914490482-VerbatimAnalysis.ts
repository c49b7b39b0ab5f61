import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the analyze stage learns of a verbatim, and the versioned classifier artefacts. */
export class VerbatimAnalysis1795914490482 implements MigrationInterface {
  name = 'VerbatimAnalysis1795914490482';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "classifier_model" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" character varying(64) NOT NULL, "taxonomy" character varying(64) NOT NULL, "artefact" bytea NOT NULL, "trained_on" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_63c519145aa668dfadfac1d2c0d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_classifier_model_version" ON "classifier_model"  ("version") `,
    );
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "category" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "category_confidence" real`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "needs_triage" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "sentiment" real`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "sentiment_label" character varying(8)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "intent" character varying(16)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "terminal" character varying(16)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "model_version" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "analyzed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "ix_verbatim_category" ON "verbatim"  ("category", "received_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_verbatim_triage" ON "verbatim"  ("needs_triage", "received_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_verbatim_triage"`);
    await queryRunner.query(`DROP INDEX "public"."ix_verbatim_category"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "analyzed_at"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "model_version"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "terminal"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "intent"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "sentiment_label"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "sentiment"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "needs_triage"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "category_confidence"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "category"`);
    await queryRunner.query(`DROP INDEX "public"."uq_classifier_model_version"`);
    await queryRunner.query(`DROP TABLE "classifier_model"`);
  }
}
