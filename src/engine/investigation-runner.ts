/**
 * The engine as the edges (terminal, Slack, Lambda) see it: parse a command, run it, redraft.
 * Source failures never throw out of `run`: they become unavailable signals and the verdict
 * says so. `parse` throws UsageError for bad input.
 */
import type { ReportJson } from '../core/report.js';
import type { CustomerDraft, DraftTone, InvestigationCommand, TimeFormatter } from '../core/types.js';

export interface InvestigationResult {
  command: InvestigationCommand;
  report: ReportJson;
  formatter: TimeFormatter;
}

export interface RunOptions {
  /** Skip the customer draft (--no-draft). Defaults to the command's own noDraft. */
  noDraft?: boolean;
  draftTone?: DraftTone;
  /**
   * Lets a caller stop waiting (runWithDeadline in the Slack jobs). Sources end on their own
   * deadlines (aws.queryTimeoutSeconds, with StopQuery); they do not watch this signal yet.
   */
  signal?: AbortSignal;
  /** The formatter the caller already made for this command (formatterFor): the report is written with the same one. */
  formatter?: TimeFormatter;
}

export interface InvestigationRunner {
  /** Parses command text as typed after `/why502` (Slack) — throws UsageError; `help` gives { help: true }. */
  parse(text: string, now: Date): InvestigationCommand | { help: true };
  run(command: InvestigationCommand, options?: RunOptions): Promise<InvestigationResult>;
  /** A new customer draft for an existing report, in another tone (the Slack "Redraft" button). */
  redraft(report: ReportJson, tone: DraftTone): Promise<CustomerDraft>;
  /** Usage text for help and for bad input. */
  usage: string;
}
