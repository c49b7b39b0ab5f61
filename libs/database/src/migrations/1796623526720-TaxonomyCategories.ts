import { MigrationInterface, QueryRunner } from 'typeorm';

/** Categories admins add to the taxonomy, and the examples the next model learns them from. */
export class TaxonomyCategories1796623526720 implements MigrationInterface {
  name = 'TaxonomyCategories1796623526720';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "taxonomy_category" ("key" character varying(32) NOT NULL, "label_fr" character varying(80) NOT NULL, "label_en" character varying(80) NOT NULL, "off_site" boolean NOT NULL DEFAULT false, "created_by" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_taxonomy_category" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "category_example" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "category_key" character varying(32) NOT NULL, "text" character varying(2000) NOT NULL, "created_by" character varying(80) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_category_example" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_category_example_key" ON "category_example" ("category_key")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "category_example"`);
    await queryRunner.query(`DROP TABLE "taxonomy_category"`);
  }
}
