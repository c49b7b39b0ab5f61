import { MigrationInterface, QueryRunner } from 'typeorm';

/** Jira, GitHub and Linear trackers, and each ticket's issue in them. */
export class Trackers1796620915028 implements MigrationInterface {
  name = 'Trackers1796620915028';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tracker" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(10) NOT NULL, "name" character varying(120) NOT NULL, "settings" jsonb NOT NULL, "token_sealed" text NOT NULL, "webhook_secret_sealed" text, "auto_create" boolean NOT NULL DEFAULT true, "poll" boolean NOT NULL DEFAULT false, "polled_at" TIMESTAMP WITH TIME ZONE, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_tracker" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ticket_link" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ticket_id" uuid NOT NULL, "tracker_id" uuid NOT NULL, "status" character varying(10) NOT NULL, "external_id" character varying(80), "external_key" character varying(120), "external_url" character varying(2000), "external_status" character varying(120), "synced_status" character varying(12), "attempts" integer NOT NULL DEFAULT 0, "last_error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ticket_link" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ticket_link" ON "ticket_link" ("ticket_id", "tracker_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ticket_link_external" ON "ticket_link" ("tracker_id", "external_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_ticket_link_external"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ticket_link"`);
    await queryRunner.query(`DROP TABLE "ticket_link"`);
    await queryRunner.query(`DROP TABLE "tracker"`);
  }
}
