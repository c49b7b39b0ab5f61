import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Irritants form across categories (the category becomes their majority, or what a person set),
 * with term weights from the installation's own recent verbatims, and a regrouping pass that
 * leaves alone what a person decided (held irritants). See docs/ARCHITECTURE.md, "Irritants".
 */
export class CrossCategoryIrritants1796630000000 implements MigrationInterface {
  name = 'CrossCategoryIrritants1796630000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "irritant" ADD "lang" character varying(8), ADD "held_by" character varying(80), ADD "held_at" TIMESTAMP WITH TIME ZONE, ADD "category_set_by" character varying(80), ADD "category_set_at" TIMESTAMP WITH TIME ZONE`,
    );
    // Candidates are now the recent irritants of every category; the regrouping looks for work done since it last ran.
    await queryRunner.query(`CREATE INDEX "ix_irritant_seen" ON "irritant" ("last_seen_at")`);
    await queryRunner.query(`CREATE INDEX "ix_irritant_updated" ON "irritant" ("updated_at")`);
    // Decisions taken before this migration hold too: irritants with verbatims a person placed, or merged into.
    await queryRunner.query(
      `UPDATE "irritant" i SET "held_at" = now(), "held_by" = 'migration'
        WHERE EXISTS (SELECT 1 FROM "verbatim" v WHERE v."irritant_id" = i."id" AND v."irritant_pinned_at" IS NOT NULL)
           OR EXISTS (SELECT 1 FROM "irritant_redirect" r WHERE r."to_id" = i."id" AND r."reason" = 'merge')`,
    );
    await queryRunner.query(
      `UPDATE "irritant" i SET "lang" = m."lang"
         FROM (SELECT DISTINCT ON ("irritant_id") "irritant_id", "lang" FROM "verbatim"
                WHERE "irritant_id" IS NOT NULL GROUP BY "irritant_id", "lang"
                ORDER BY "irritant_id", count(*) DESC, "lang") m
        WHERE m."irritant_id" = i."id"`,
    );
    await queryRunner.query(
      `CREATE TABLE "clustering_vocabulary" ("id" SERIAL NOT NULL, "documents" integer NOT NULL, "frequencies" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_clustering_vocabulary" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "irritant_regroup" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "trigger" character varying(16) NOT NULL, "actor" character varying(80) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, "window_verbatims" integer NOT NULL, "irritants_before" integer NOT NULL, "irritants_after" integer NOT NULL, "merged" integer NOT NULL, "created" integer NOT NULL, "moved" integer NOT NULL, CONSTRAINT "PK_irritant_regroup" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_irritant_regroup_finished" ON "irritant_regroup" ("finished_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "irritant_regroup"`);
    await queryRunner.query(`DROP TABLE "clustering_vocabulary"`);
    await queryRunner.query(`DROP INDEX "ix_irritant_updated"`);
    await queryRunner.query(`DROP INDEX "ix_irritant_seen"`);
    await queryRunner.query(
      `ALTER TABLE "irritant" DROP COLUMN "category_set_at", DROP COLUMN "category_set_by", DROP COLUMN "held_at", DROP COLUMN "held_by", DROP COLUMN "lang"`,
    );
  }
}
