import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { JobHandler, JobName } from '@app/jobs';
import { BoardService } from './board.service';
import { DecisionService } from './decision.service';

/** The periodic work of the Monday loop: the live board kept fresh, freezes, overdue flags. */
@Injectable()
export class MondayJobs {
  constructor(
    private readonly clock: Clock,
    private readonly boards: BoardService,
    private readonly decisions: DecisionService,
  ) {}

  @JobHandler(JobName.RefreshBoard)
  async refresh(): Promise<void> {
    await this.boards.refreshCurrent();
  }

  /** Every minute: boards whose freeze time has come, then work past its target. */
  @JobHandler(JobName.FreezeBoards)
  async freezeAndFlag(): Promise<void> {
    const now = this.clock.now();
    await this.boards.freezeDue(now);
    await this.decisions.flagOverdue(now);
  }
}
