import { MigrationInterface, QueryRunner } from 'typeorm';

/** Links proposed from correlations (volume jumps while a monitor fails or a KPI is off target). */
export class LinkProposals1795926885511 implements MigrationInterface {
  name = 'LinkProposals1795926885511';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "link_proposal" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "irritant_id" uuid NOT NULL, "iso_week" character varying(8) NOT NULL, "monitor_id" uuid, "kpi_key" character varying(40), "evidence" jsonb NOT NULL, "status" character varying(10) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_332ac0bda45a42051cfd5f63a8a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_link_proposal" ON "link_proposal"  ("irritant_id", "iso_week", "monitor_id", "kpi_key") NULLS NOT DISTINCT`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_link_proposal"`);
    await queryRunner.query(`DROP TABLE "link_proposal"`);
  }
}
