import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Irritants' titles in their customers' words (recomputed as their verbatims change, from a
 * sample), the other language's beside them, their most representative quote, and the name a
 * triager gives (which wins over the generated title and that no recomputation touches).
 */
export class IrritantTitles1796633492287 implements MigrationInterface {
  name = 'IrritantTitles1796633492287';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "irritant" ADD "name" character varying(200), ADD "title" character varying(200), ADD "title_lang" character varying(8), ADD "title_other" character varying(200), ADD "title_other_lang" character varying(8), ADD "title_quote" character varying(400), ADD "titled_count" integer NOT NULL DEFAULT '0', ADD "titled_at" TIMESTAMP WITH TIME ZONE`,
    );
    // The retitling job looks for irritants whose verbatims changed since their title: few, found fast.
    await queryRunner.query(
      `CREATE INDEX "ix_irritant_retitle" ON "irritant" ("last_seen_at") WHERE "titled_count" <> "verbatim_count"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_irritant_retitle"`);
    await queryRunner.query(
      `ALTER TABLE "irritant" DROP COLUMN "titled_at", DROP COLUMN "titled_count", DROP COLUMN "title_quote", DROP COLUMN "title_other_lang", DROP COLUMN "title_other", DROP COLUMN "title_lang", DROP COLUMN "title", DROP COLUMN "name"`,
    );
  }
}
