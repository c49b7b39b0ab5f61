import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19. `maintenance_task`: work a process does once after a migration, when it needs what only
 * the application has (the source ids stored in clear are hashed with the installation's secret).
 * `erased_person`: the author keys of the people erased, so that a replay of their messages is
 * skipped rather than stored again (keys are keyed hashes already: the list names no one).
 */
export class PersonalDataHardening1796640000000 implements MigrationInterface {
  name = 'PersonalDataHardening1796640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "maintenance_task" ("name" character varying(64) NOT NULL, "done_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_maintenance_task" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`INSERT INTO "maintenance_task" ("name") VALUES ('hash-external-ids')`);
    await queryRunner.query(
      `CREATE TABLE "erased_person" ("author_key" character varying(64) NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_erased_person" PRIMARY KEY ("author_key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "erased_person"`);
    await queryRunner.query(`DROP TABLE "maintenance_task"`);
  }
}
