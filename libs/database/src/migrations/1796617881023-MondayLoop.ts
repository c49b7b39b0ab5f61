import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Monday loop across weeks: where merged irritants went, the history of departments' answers,
 * the overdue flags of tickets and routed decisions, and explicit resends of a digest.
 */
export class MondayLoop1796617881023 implements MigrationInterface {
  name = 'MondayLoop1796617881023';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "irritant_redirect" ("from_id" uuid NOT NULL, "to_id" uuid NOT NULL, "reason" character varying(16) NOT NULL, "actor" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7c57f510d0f378dcb9c554c1b70" PRIMARY KEY ("from_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_irritant_redirect_to" ON "irritant_redirect" ("to_id") `);
    await queryRunner.query(
      `CREATE TABLE "decision_answer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "decision_id" uuid NOT NULL, "answer" character varying(2000) NOT NULL, "actor" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "seq" BIGSERIAL NOT NULL, CONSTRAINT "PK_70f0a3b04542aea146a4519ae63" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_decision_answer_decision" ON "decision_answer" ("decision_id", "created_at") `,
    );
    // Answers given before the history existed become its first entries.
    await queryRunner.query(
      `INSERT INTO "decision_answer" ("decision_id", "answer", "actor", "created_at")
       SELECT "id", "answer", 'department', "answered_at" FROM "decision" WHERE "answered_at" IS NOT NULL AND "answer" IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "decision" ADD "overdue_at" TIMESTAMP WITH TIME ZONE`);
    // Decisions taken at one instant (a clock frozen for a rehearsal or a test) still have an order.
    await queryRunner.query(`ALTER TABLE "decision" ADD "seq" BIGSERIAL NOT NULL`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD "overdue_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "digest_delivery" ADD "sequence" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "digest_delivery" ADD "forced" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`DROP INDEX "public"."uq_digest_delivery_week_recipient"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_digest_delivery_week_recipient" ON "digest_delivery" ("iso_week", "recipient", "sequence") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_digest_delivery_week_recipient"`);
    await queryRunner.query(`DELETE FROM "digest_delivery" WHERE "sequence" > 0`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_digest_delivery_week_recipient" ON "digest_delivery" ("iso_week", "recipient") `,
    );
    await queryRunner.query(`ALTER TABLE "digest_delivery" DROP COLUMN "forced"`);
    await queryRunner.query(`ALTER TABLE "digest_delivery" DROP COLUMN "sequence"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "overdue_at"`);
    await queryRunner.query(`ALTER TABLE "decision" DROP COLUMN "seq"`);
    await queryRunner.query(`ALTER TABLE "decision" DROP COLUMN "overdue_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_decision_answer_decision"`);
    await queryRunner.query(`DROP TABLE "decision_answer"`);
    await queryRunner.query(`DROP INDEX "public"."ix_irritant_redirect_to"`);
    await queryRunner.query(`DROP TABLE "irritant_redirect"`);
  }
}
