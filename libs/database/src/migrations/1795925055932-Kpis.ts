import { MigrationInterface, QueryRunner } from 'typeorm';

/** KPIs and their points, survey answers; the six KPIs of the reference team, with targets. */
export class Kpis1795925055932 implements MigrationInterface {
  name = 'Kpis1795925055932';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "kpi" ("key" character varying(40) NOT NULL, "name" character varying(120) NOT NULL, "unit" character varying(16) NOT NULL, "direction" character varying(8) NOT NULL, "target" real, "from_surveys" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bb9cfac10d7fa0867a52df5bc61" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "kpi_point" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kpi_key" character varying(40) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "value" double precision NOT NULL, "origin" character varying(16) NOT NULL, CONSTRAINT "PK_8147a4fc6060a3c6b9114ace1df" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_kpi_point" ON "kpi_point"  ("kpi_key", "at") `);
    await queryRunner.query(
      `CREATE TABLE "survey_answer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "answer_id" character varying(200) NOT NULL, "kind" character varying(4) NOT NULL, "score" smallint NOT NULL, "author_key" character varying(64), "answered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verbatim_id" uuid, CONSTRAINT "PK_5a2a931b95ad2a866f8bc039db9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_survey_answer_kind_at" ON "survey_answer"  ("kind", "answered_at") `,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_survey_answer" ON "survey_answer"  ("answer_id") `);
    // The reference team's KPIs; targets are starting points the team edits (PUT /api/v1/kpis/:key).
    await queryRunner.query(
      `INSERT INTO "kpi" ("key", "name", "unit", "direction", "target", "from_surveys") VALUES
        ('nps', 'NPS', 'points', 'higher', 30, true),
        ('csat', 'Customer satisfaction (CSAT)', '%', 'higher', 80, true),
        ('error_page_rate', 'Error-page rate', '%', 'lower', 1, false),
        ('page_load_time', 'Page load time', 'ms', 'lower', 2000, false),
        ('error_rate', 'Error rate', '%', 'lower', 0.5, false),
        ('booking_journey_time', 'Time to complete a booking', 's', 'lower', 90, false),
        ('journey_availability', 'Journey availability (monitors)', '%', 'higher', 99, false)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_survey_answer"`);
    await queryRunner.query(`DROP INDEX "public"."ix_survey_answer_kind_at"`);
    await queryRunner.query(`DROP TABLE "survey_answer"`);
    await queryRunner.query(`DROP INDEX "public"."uq_kpi_point"`);
    await queryRunner.query(`DROP TABLE "kpi_point"`);
    await queryRunner.query(`DROP TABLE "kpi"`);
  }
}
