import { MigrationInterface, QueryRunner } from 'typeorm';

/** Slack and Teams channels, their outbox of messages, and the ledger of what was announced. */
export class ChatNotifications1796619547718 implements MigrationInterface {
  name = 'ChatNotifications1796619547718';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "chat_channel" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(16) NOT NULL, "name" character varying(120) NOT NULL, "lang" character varying(2) NOT NULL, "target_sealed" text NOT NULL, "hint" character varying(200) NOT NULL, "slack_channel" character varying(80), "api_url" character varying(2000), "topics" jsonb NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_chat_channel" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "chat_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel_id" uuid NOT NULL, "topic" character varying(16) NOT NULL, "event_key" character varying(200) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(10) NOT NULL, "attempts" integer NOT NULL DEFAULT 0, "last_status" integer, "last_error" character varying(500), "last_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "remote_id" character varying(80), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_chat_message" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_chat_message_event" ON "chat_message" ("channel_id", "event_key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_chat_message_status" ON "chat_message" ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "chat_announcement" ("key" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_chat_announcement" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chat_announcement"`);
    await queryRunner.query(`DROP INDEX "public"."ix_chat_message_status"`);
    await queryRunner.query(`DROP INDEX "public"."uq_chat_message_event"`);
    await queryRunner.query(`DROP TABLE "chat_message"`);
    await queryRunner.query(`DROP TABLE "chat_channel"`);
  }
}
