import { MigrationInterface, QueryRunner } from 'typeorm';

/** Mid-week alerts on emerging irritants: one open episode per irritant. */
export class IrritantAlerts1796618706545 implements MigrationInterface {
  name = 'IrritantAlerts1796618706545';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "irritant_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "irritant_id" uuid NOT NULL, "label" character varying(200) NOT NULL, "category" character varying(32) NOT NULL, "window" character varying(4) NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "observed" integer NOT NULL, "expected" real NOT NULL, "p_value" double precision NOT NULL, "evidence" jsonb NOT NULL, "status" character varying(10) NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_jump_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_irritant_alert" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_irritant_alert_open" ON "irritant_alert" ("irritant_id") WHERE closed_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_irritant_alert_opened" ON "irritant_alert" ("opened_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_irritant_alert_opened"`);
    await queryRunner.query(`DROP INDEX "public"."uq_irritant_alert_open"`);
    await queryRunner.query(`DROP TABLE "irritant_alert"`);
  }
}
