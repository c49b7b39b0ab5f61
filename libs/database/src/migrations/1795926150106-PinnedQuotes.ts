import { MigrationInterface, QueryRunner } from 'typeorm';

/** Quotes the team pins for the digest. */
export class PinnedQuotes1795926150106 implements MigrationInterface {
  name = 'PinnedQuotes1795926150106';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pinned_quote" ("iso_week" character varying(8) NOT NULL, "irritant_id" uuid NOT NULL, "verbatim_id" uuid NOT NULL, "actor" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f93a17c702ffd0f4deb839ba3b" PRIMARY KEY ("iso_week", "irritant_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pinned_quote"`);
  }
}
