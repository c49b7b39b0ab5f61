import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { BoardItem, NewBoardItem, Board, TicketRow } from '@app/database';
import type { DecisionInForce } from './in-force';

/**
 * Board and ticket reads are kept this long: the Monday meeting's screens and developers' tools
 * ask the same question over and over, and a board only changes when it is recomputed. Writes in
 * this process clear it at once; another process's writes show within this delay.
 */
export const READ_CACHE_MS = 2_000;

/** A board as read: its items, the decisions in force on them, and the weeks around it. */
export interface BoardWithItems {
  board: Board;
  items: BoardItem[];
  /** Irritant id -> the decision in force on it for that week (carried from earlier weeks). */
  decisions: ReadonlyMap<string, DecisionInForce>;
  /** The week before (null before the first week a board can be about). */
  previousWeek: string | null;
  /** The week after, once it has begun (null otherwise). */
  nextWeek: string | null;
  /** The answer as sent, made once per cached read and language (see READ_CACHE_MS). */
  json?: Partial<Record<string, string>>;
}

/** A page of tickets as read (and kept for a moment), with its answer once serialised. */
export interface TicketList {
  rows: TicketRow[];
  /** Per language of the reasons. */
  json?: Partial<Record<string, string>>;
}

/**
 * The short-lived reads of boards and tickets, shared by the services that write them: a decision,
 * a claim or a status change shows on the board at once, as a recompute does.
 */
@Injectable()
export class ReadCache {
  readonly boards = new LRUCache<string, BoardWithItems>({ max: 500, ttl: READ_CACHE_MS });
  readonly tickets = new LRUCache<string, TicketList>({ max: 500, ttl: READ_CACHE_MS });
  /** Boards never stored, built for a read (GETs write nothing), kept as the reads are. */
  readonly built = new LRUCache<string, NewBoardItem[]>({ max: 50, ttl: READ_CACHE_MS });

  clear(): void {
    this.boards.clear();
    this.tickets.clear();
    this.built.clear();
  }
}
