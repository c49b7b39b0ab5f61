import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 19: API keys expire (the first-start admin key does, 30 days after it is made). */
export class ApiKeyExpiry1796640100000 implements MigrationInterface {
  name = 'ApiKeyExpiry1796640100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_key" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
    // The first-start admin key made before this release stopped being valid forever.
    await queryRunner.query(
      `UPDATE "api_key" SET "expires_at" = now() + interval '30 days'
        WHERE "name" = 'first-start admin' AND "revoked_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_key" DROP COLUMN "expires_at"`);
  }
}
