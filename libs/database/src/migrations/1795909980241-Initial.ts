import { MigrationInterface, QueryRunner } from 'typeorm';
import { SEARCH_VECTOR_SQL } from '../entities/verbatim.entity';

/** Sources, verbatims (with French and English full-text search), dead letters, audit, users, API keys, imports. */
export class Initial1795909980241 implements MigrationInterface {
  name = 'Initial1795909980241';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "source" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(64) NOT NULL, "kind" character varying(16) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "settings" jsonb NOT NULL DEFAULT '{}', "cursor" jsonb, "last_success_at" TIMESTAMP WITH TIME ZONE, "last_error_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_018c433f8264b58c86363eaadde" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_source_name" ON "source"  ("name") `);
    // TypeORM compares generated columns against this table; the database name is whatever this one is called.
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar NULL, "schema" varchar NULL, "table" varchar NULL, "name" varchar NULL, "value" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), current_schema(), $1, $2, $3, $4)`,
      ['verbatim', 'GENERATED_COLUMN', 'search_vector', SEARCH_VECTOR_SQL],
    );
    await queryRunner.query(
      `CREATE TABLE "verbatim" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_id" uuid NOT NULL, "external_id" character varying(512) NOT NULL, "author_key" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "raw_text" text NOT NULL, "redacted_text" text, "lang" character varying(8), "metadata" jsonb NOT NULL DEFAULT '{}', "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce(redacted_text, '')) || to_tsvector('french'::regconfig, coalesce(redacted_text, ''))) STORED NOT NULL, "stage" character varying(16) NOT NULL DEFAULT 'received', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ingested_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8e1c82b0a4dc31bd803fd4a68fe" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_verbatim_author" ON "verbatim"  ("author_key") `);
    await queryRunner.query(`CREATE INDEX "ix_verbatim_stage" ON "verbatim"  ("stage", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_verbatim_received" ON "verbatim"  ("received_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_verbatim_search" ON "verbatim" USING GIN ("search_vector")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_verbatim_source_external" ON "verbatim"  ("source_id", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "dead_letter" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "job_name" character varying(64) NOT NULL, "job_id" character varying(256), "payload" jsonb NOT NULL, "input" jsonb, "cause" text NOT NULL, "attempts" integer NOT NULL DEFAULT '1', "status" character varying(16) NOT NULL DEFAULT 'open', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "retried_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_dead_letter_status" ON "dead_letter"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor" character varying(80) NOT NULL, "action" character varying(64) NOT NULL, "subject_type" character varying(32) NOT NULL, "subject_id" character varying(64), "before" jsonb, "after" jsonb, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_subject" ON "audit_event"  ("subject_type", "subject_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(320) NOT NULL, "display_name" character varying(120) NOT NULL, "role" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "disabled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_app_user_email" ON "app_user"  ("email") `);
    await queryRunner.query(
      `CREATE TABLE "api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(80) NOT NULL, "prefix" character varying(16) NOT NULL, "hash" character(64) NOT NULL, "role" character varying(16) NOT NULL, "user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_key_prefix" ON "api_key"  ("prefix") `);
    await queryRunner.query(
      `CREATE TABLE "import_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_name" character varying(64) NOT NULL, "file_name" character varying(512) NOT NULL, "chunk_count" integer NOT NULL DEFAULT '0', "row_count" integer NOT NULL DEFAULT '0', "status" character varying(16) NOT NULL DEFAULT 'loading', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_efe3e6d8cb9f51ca4e9cd1cf5d3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "import_chunk" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "import_id" uuid NOT NULL, "chunk_no" integer NOT NULL, "rows" jsonb NOT NULL, "imported" integer, "duplicates" integer, "rejected" jsonb, "verbatim_ids" uuid array, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "done_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_4e9492f1b36972de25460d87695" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_import_chunk_pending" ON "import_chunk"  ("done_at", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_import_chunk_run_no" ON "import_chunk"  ("import_id", "chunk_no") `,
    );
    await queryRunner.query(
      `ALTER TABLE "verbatim" ADD CONSTRAINT "fk_verbatim_source" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key" ADD CONSTRAINT "fk_api_key_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "import_chunk" ADD CONSTRAINT "fk_import_chunk_run" FOREIGN KEY ("import_id") REFERENCES "import_run"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_chunk" DROP CONSTRAINT "fk_import_chunk_run"`);
    await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "fk_api_key_user"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP CONSTRAINT "fk_verbatim_source"`);
    await queryRunner.query(`DROP INDEX "public"."uq_import_chunk_run_no"`);
    await queryRunner.query(`DROP INDEX "public"."ix_import_chunk_pending"`);
    await queryRunner.query(`DROP TABLE "import_chunk"`);
    await queryRunner.query(`DROP TABLE "import_run"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_key_prefix"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
    await queryRunner.query(`DROP INDEX "public"."uq_app_user_email"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_subject"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."ix_dead_letter_status"`);
    await queryRunner.query(`DROP TABLE "dead_letter"`);
    await queryRunner.query(`DROP INDEX "public"."uq_verbatim_source_external"`);
    await queryRunner.query(`DROP INDEX "public"."ix_verbatim_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_verbatim_received"`);
    await queryRunner.query(`DROP INDEX "public"."ix_verbatim_stage"`);
    await queryRunner.query(`DROP INDEX "public"."ix_verbatim_author"`);
    await queryRunner.query(`DROP TABLE "verbatim"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = current_schema() AND "table" = $3`,
      ['GENERATED_COLUMN', 'search_vector', 'verbatim'],
    );
    await queryRunner.query(`DROP INDEX "public"."uq_source_name"`);
    await queryRunner.query(`DROP TABLE "source"`);
  }
}
