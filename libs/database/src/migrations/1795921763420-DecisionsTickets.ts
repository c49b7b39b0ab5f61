import { MigrationInterface, QueryRunner } from 'typeorm';

/** Decisions of the Monday meeting (history kept) and the tickets developers pull. */
export class DecisionsTickets1795921763420 implements MigrationInterface {
  name = 'DecisionsTickets1795921763420';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "decision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "iso_week" character varying(8) NOT NULL, "irritant_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "department" character varying(40), "owner" character varying(120), "target_release" character varying(60), "comment" character varying(2000), "actor" character varying(80) NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE, "answer" character varying(2000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fa4cbd6abf1215054f13c27df5a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_decision_routed" ON "decision"  ("department", "answered_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_decision_week_irritant" ON "decision"  ("iso_week", "irritant_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "ticket" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "irritant_id" uuid NOT NULL, "decision_id" uuid NOT NULL, "iso_week" character varying(8) NOT NULL, "kind" character varying(16) NOT NULL, "status" character varying(12) NOT NULL, "priority" real NOT NULL, "team" character varying(120), "claimed_by" character varying(80), "release" character varying(60), "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deployed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d9a0835407701eb86f874474b7c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ticket_open_irritant" ON "ticket"  ("irritant_id") WHERE status <> 'deployed' AND status <> 'dropped'`,
    );
    await queryRunner.query(`CREATE INDEX "ix_ticket_status_priority" ON "ticket"  ("status", "priority") `);
    await queryRunner.query(
      `CREATE INDEX "ix_board_item_irritant" ON "board_item"  ("irritant_id", "iso_week") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_board_item_irritant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ticket_status_priority"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ticket_open_irritant"`);
    await queryRunner.query(`DROP TABLE "ticket"`);
    await queryRunner.query(`DROP INDEX "public"."ix_decision_week_irritant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_decision_routed"`);
    await queryRunner.query(`DROP TABLE "decision"`);
  }
}
