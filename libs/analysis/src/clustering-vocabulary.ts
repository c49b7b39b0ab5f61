import { Injectable } from '@nestjs/common';
import { IrritantRepository } from '@app/database';
import { IdfTable } from '@app/nlp';

/** How long a process keeps the stored vocabulary before it looks for a newer one. */
const REFRESH_MS = 30_000;

/**
 * The installation's own vocabulary: how distinctive each term is among its recent verbatims
 * ("card" in a bank's messages weighs little, "chargeback" a lot), stored by every regrouping
 * (run within two minutes of new verbatims), read by the cluster stage. Not the shipped training
 * set: what is common depends on the company. Before the first regrouping, every term weighs the
 * same.
 */
@Injectable()
export class ClusteringVocabulary {
  private cached: { table: Promise<IdfTable>; at: number } | null = null;

  constructor(private readonly irritants: IrritantRepository) {}

  current(): Promise<IdfTable> {
    if (!this.cached || Date.now() - this.cached.at > REFRESH_MS) {
      const table = this.irritants
        .latestVocabulary()
        .then((stored) =>
          stored ? IdfTable.fromFrequencies(stored.frequencies, stored.documents) : IdfTable.uniform(),
        );
      this.cached = { table, at: Date.now() };
      table.catch(() => (this.cached = null));
    }
    return this.cached.table;
  }

  /** A regrouping in this process stored a new one. */
  replace(table: IdfTable): void {
    this.cached = { table: Promise.resolve(table), at: Date.now() };
  }
}
