import { MigrationInterface, QueryRunner } from 'typeorm';

/** Connectors: sealed secrets, poll schedule and backoff per source; identity links. */
export class Connectors1795923815947 implements MigrationInterface {
  name = 'Connectors1795923815947';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "identity_link" ("author_key" character varying(64) NOT NULL, "canonical_key" character varying(64) NOT NULL, "actor" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_75bb280ea7807a7b03803d3679e" PRIMARY KEY ("author_key"))`,
    );
    await queryRunner.query(`ALTER TABLE "source" ADD "secrets_sealed" text`);
    await queryRunner.query(`ALTER TABLE "source" ADD "poll_every_seconds" integer NOT NULL DEFAULT '300'`);
    await queryRunner.query(`ALTER TABLE "source" ADD "last_poll_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "source" ADD "backoff_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "source" ADD "consecutive_failures" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "consecutive_failures"`);
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "backoff_until"`);
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "last_poll_at"`);
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "poll_every_seconds"`);
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "secrets_sealed"`);
    await queryRunner.query(`DROP TABLE "identity_link"`);
  }
}
