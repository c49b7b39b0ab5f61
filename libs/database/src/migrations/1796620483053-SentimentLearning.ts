import { MigrationInterface, QueryRunner } from 'typeorm';

/** The sentiment model beside the category classifier, and triagers' sentiment corrections. */
export class SentimentLearning1796620483053 implements MigrationInterface {
  name = 'SentimentLearning1796620483053';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "classifier_model" ADD "sentiment_artefact" bytea`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "sentiment_corrected_by" character varying(80)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "sentiment_corrected_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "ix_verbatim_sentiment_corrected" ON "verbatim" ("sentiment_corrected_at") WHERE "sentiment_corrected_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_verbatim_sentiment_corrected"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "sentiment_corrected_at"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "sentiment_corrected_by"`);
    await queryRunner.query(`ALTER TABLE "classifier_model" DROP COLUMN "sentiment_artefact"`);
  }
}
