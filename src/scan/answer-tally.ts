import type { AnswerFacts } from '../parsers/proxy-record.js';
import { bump, Counter, isServerErrorStatus, mergeInto, toObject } from './scan-counter.js';

/** Who answered, how the server failed, and who answered the 5xx: the facts every proxy, edge and load-balancer format fills. */
export interface AnswerScanJson {
  byAnsweredBy: Record<string, number>;
  byUpstreamFailure: Record<string, number>;
  serverErrorsByAnsweredBy: Record<string, number>;
}

/** The AnswerScanJson part of a scan tally: counted per entry, folded in from other workers' tallies. */
export class AnswerTally {
  private readonly answeredBy = new Counter();
  private readonly upstreamFailure = new Counter();
  private readonly serverErrorsAnsweredBy = new Counter();

  add(status: string, facts: AnswerFacts): void {
    bump(this.answeredBy, facts.answeredBy);
    if (facts.upstreamFailure !== null) bump(this.upstreamFailure, facts.upstreamFailure);
    if (isServerErrorStatus(status)) bump(this.serverErrorsAnsweredBy, facts.answeredBy);
  }

  merge(other: AnswerScanJson): void {
    mergeInto(this.answeredBy, other.byAnsweredBy);
    mergeInto(this.upstreamFailure, other.byUpstreamFailure);
    mergeInto(this.serverErrorsAnsweredBy, other.serverErrorsByAnsweredBy);
  }

  toJson(): AnswerScanJson {
    return {
      byAnsweredBy: toObject(this.answeredBy),
      byUpstreamFailure: toObject(this.upstreamFailure),
      serverErrorsByAnsweredBy: toObject(this.serverErrorsAnsweredBy),
    };
  }
}
