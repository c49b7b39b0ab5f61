import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who corrected a verbatim's category, and when: the corrections train the next classifier. */
export class CategoryCorrections1795915634933 implements MigrationInterface {
  name = 'CategoryCorrections1795915634933';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "category_corrected_by" character varying(80)`);
    await queryRunner.query(`ALTER TABLE "verbatim" ADD "category_corrected_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "category_corrected_at"`);
    await queryRunner.query(`ALTER TABLE "verbatim" DROP COLUMN "category_corrected_by"`);
  }
}
