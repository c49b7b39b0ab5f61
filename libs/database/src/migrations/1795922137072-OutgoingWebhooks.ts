import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outgoing webhooks (secrets sealed) and the log of their deliveries. */
export class OutgoingWebhooks1795922137072 implements MigrationInterface {
  name = 'OutgoingWebhooks1795922137072';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" character varying(2000) NOT NULL, "secret_sealed" text NOT NULL, "events" jsonb NOT NULL, "department" character varying(40), "active" boolean NOT NULL DEFAULT true, "description" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e6765510c2d078db49632b59020" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "webhook_id" uuid NOT NULL, "event" character varying(40) NOT NULL, "event_key" character varying(120) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(10) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_status" integer, "last_error" character varying(500), "last_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_delivery_status" ON "webhook_delivery"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_webhook_delivery_event" ON "webhook_delivery"  ("webhook_id", "event_key") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_webhook_delivery_event"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_delivery_status"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook"`);
  }
}
