import { MigrationInterface, QueryRunner } from 'typeorm';

/** Irritants: near-duplicate verbatims of a category, with the customers they hurt. */
export class Irritants1795915984299 implements MigrationInterface {
  name = 'Irritants1795915984299';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "irritant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "category" character varying(32) NOT NULL, "label" character varying(200) NOT NULL, "centroid" jsonb NOT NULL, "verbatim_count" integer NOT NULL DEFAULT '0', "distinct_customers" integer NOT NULL DEFAULT '0', "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8f086a28bb3d04219c391d050f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_irritant_category_seen" ON "irritant"  ("category", "last_seen_at") `,
    );
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "irritant_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "ix_verbatim_irritant" ON "verbatim"  ("irritant_id", "received_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "verbatim" ADD CONSTRAINT "fk_verbatim_irritant" FOREIGN KEY ("irritant_id") REFERENCES "irritant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "verbatim" DROP CONSTRAINT "fk_verbatim_irritant"`);
    await queryRunner.query(`DROP INDEX "public"."ix_verbatim_irritant"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "irritant_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_irritant_category_seen"`);
    await queryRunner.query(`DROP TABLE "irritant"`);
  }
}
