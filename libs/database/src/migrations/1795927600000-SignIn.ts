import { MigrationInterface, QueryRunner } from 'typeorm';

/** People sign in: local passwords, OpenID Connect identities, and cookie sessions. */
export class SignIn1795927600000 implements MigrationInterface {
  name = 'SignIn1795927600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" ADD "password_hash" character varying(255)`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD "oidc_issuer" character varying(500)`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD "oidc_subject" character varying(255)`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD "last_sign_in_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_app_user_oidc" ON "app_user"  ("oidc_issuer", "oidc_subject") `,
    );
    await queryRunner.query(
      `CREATE TABLE "user_session" ("id" character(64) NOT NULL, "user_id" uuid NOT NULL, "csrf_token" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_adf3b49590842ac3cf54cac451a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_user_session_expires" ON "user_session"  ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "idx_user_session_user" ON "user_session"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "user_session" ADD CONSTRAINT "fk_user_session_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_session" DROP CONSTRAINT "fk_user_session_user"`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_session_user"`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_session_expires"`);
    await queryRunner.query(`DROP TABLE "user_session"`);
    await queryRunner.query(`DROP INDEX "public"."uq_app_user_oidc"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "last_sign_in_at"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "oidc_subject"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "oidc_issuer"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "password_hash"`);
  }
}
