import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditRepository, TaxonomyRepository } from '@app/database';
import { Category, DEFAULT_TAXONOMY, Redactor, Taxonomy, UNCLEAR_CATEGORY } from '@app/nlp';

export const CATEGORY_KEY = /^[a-z][a-z0-9_]{1,31}$/;
/** A new category needs this many examples to be learnt apart from the others. */
export const MIN_NEW_CATEGORY_EXAMPLES = 5;

export interface NewCategory {
  key: string;
  label: { fr: string; en: string };
  offSite?: boolean;
  examples: readonly string[];
}

/**
 * The taxonomy in force: the shipped categories and those admins added (stored, with their
 * examples, redacted). The next model learns the added ones (`nlp:train`, `model.retrain`),
 * keeping every triager's correction.
 */
@Injectable()
export class TaxonomyService {
  private readonly redactor = new Redactor();

  constructor(
    private readonly rows: TaxonomyRepository,
    private readonly audit: AuditRepository,
  ) {}

  async taxonomy(): Promise<Taxonomy & { custom: ReadonlySet<string> }> {
    const added = await this.rows.categories();
    const categories: Category[] = [
      ...DEFAULT_TAXONOMY.categories,
      ...added.map((row) => ({
        key: row.key,
        label: { fr: row.labelFr, en: row.labelEn },
        ...(row.offSite ? { offSite: true } : {}),
      })),
    ];
    return { name: DEFAULT_TAXONOMY.name, categories, custom: new Set(added.map((row) => row.key)) };
  }

  async keys(): Promise<string[]> {
    return (await this.taxonomy()).categories.map((category) => category.key);
  }

  /** Refuses an unknown category with the list of known ones (a 400 the caller can act on). */
  async check(key: string): Promise<void> {
    const keys = await this.keys();
    if (!keys.includes(key)) throw new BadRequestException(`category must be one of ${keys.join(', ')}`);
  }

  async add(input: NewCategory, actor: string): Promise<void> {
    if (!CATEGORY_KEY.test(input.key))
      throw new BadRequestException(
        'key must be 2-32 lower-case letters, digits or _, starting with a letter',
      );
    if ((await this.keys()).includes(input.key))
      throw new ConflictException(`category ${input.key} exists already`);
    const examples = this.clean(input.examples);
    if (examples.length < MIN_NEW_CATEGORY_EXAMPLES)
      throw new BadRequestException(
        `a new category needs at least ${MIN_NEW_CATEGORY_EXAMPLES} distinct examples to be learnt`,
      );
    const added = await this.rows.addCategory(
      {
        key: input.key,
        labelFr: input.label.fr,
        labelEn: input.label.en,
        offSite: input.offSite === true,
        createdBy: actor,
      },
      examples,
    );
    if (!added) throw new ConflictException(`category ${input.key} exists already`);
    await this.audit.record({
      actor,
      action: 'taxonomy.category.add',
      subjectType: 'category',
      subjectId: input.key,
      after: { label: input.label, offSite: input.offSite === true, examples: examples.length },
    });
  }

  /** More examples for a category, shipped or added (`other` is an outcome, not a category to learn). */
  async addExamples(key: string, texts: readonly string[], actor: string): Promise<number> {
    if (key === UNCLEAR_CATEGORY || !(await this.keys()).includes(key))
      throw new NotFoundException(`no category ${key} to learn examples of`);
    const examples = this.clean(texts);
    if (examples.length === 0) throw new BadRequestException('give at least one example');
    await this.rows.addExamples(key, examples, actor);
    await this.audit.record({
      actor,
      action: 'taxonomy.examples.add',
      subjectType: 'category',
      subjectId: key,
      after: { examples: examples.length },
    });
    return examples.length;
  }

  /** Redacted (a model never learns personal data), trimmed, without repeats. */
  private clean(texts: readonly string[]): string[] {
    return [
      ...new Set(texts.map((text) => this.redactor.redact(text.trim())).filter((text) => text.length > 0)),
    ];
  }
}
