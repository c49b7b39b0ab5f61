import { MigrationInterface, QueryRunner } from 'typeorm';

/** The Monday digest: one delivery per ISO week and recipient. */
export class MondayDigest1795924363344 implements MigrationInterface {
  name = 'MondayDigest1795924363344';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "digest_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "iso_week" character varying(8) NOT NULL, "recipient" character varying(320) NOT NULL, "lang" character varying(2) NOT NULL, "status" character varying(8) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "message_id" character varying(200) NOT NULL, "last_error" character varying(500), "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fcd2c831f7b54a7aa064290f163" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_digest_delivery_week_recipient" ON "digest_delivery"  ("iso_week", "recipient") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_digest_delivery_week_recipient"`);
    await queryRunner.query(`DROP TABLE "digest_delivery"`);
  }
}
