/**
 * Lines with no `client [accept date]` opening: HAProxy's `Connect from` log, SPOE traces and
 * its own events ("Server bk/srv is UP, …"), with or without a syslog prefix. Anything else is
 * malformed: a proxy log may hold other programs' lines, and the caller should count them.
 */
import { type MalformedLine, malformed, type OtherProxyLine, type OtherProxyLineKind } from './proxy-record.js';

const LESS_THAN = 60;
const DIGIT_0 = 48;

const OTHER_KINDS: Record<OtherProxyLineKind, OtherProxyLine> = {
  tcplog: Object.freeze({ kind: 'other', otherKind: 'tcplog' }),
  connect_from: Object.freeze({ kind: 'other', otherKind: 'connect_from' }),
  spoe: Object.freeze({ kind: 'other', otherKind: 'spoe' }),
  error_log: Object.freeze({ kind: 'other', otherKind: 'error_log' }),
  other: Object.freeze({ kind: 'other', otherKind: 'other' }),
};

/** How HAProxy's own messages begin (server and proxy state changes, health checks, alerts). */
const EVENT_OPENERS = [
  'Server ',
  'Backup Server ',
  'Proxy ',
  'backend ',
  'Health check for ',
  'Agent check for ',
  'Stopping ',
  'Pausing ',
  'Resuming ',
  'Enabling ',
  'Disabling ',
  'Starting ',
  'Loading ',
  '[WARNING]',
  '[NOTICE]',
  '[ALERT]',
];

/** Classifies a line that has no HAProxy or nginx accept date. */
export function classifyLineWithoutAcceptDate(line: string): OtherProxyLine | MalformedLine {
  const afterPriority = skipSyslogPriority(line);
  const direct = kindOfMessage(line, afterPriority);
  if (direct !== null) return OTHER_KINDS[direct];
  const tag = findSyslogTag(line, afterPriority);
  if (tag === null) return malformed('unrecognised line');
  const kind = kindOfMessage(line, tag.messageStart);
  if (kind !== null) return OTHER_KINDS[kind];
  if (startsWithClientAddress(line, tag.messageStart)) return malformed('missing accept date');
  return tag.isHaproxy ? OTHER_KINDS.other : malformed('not an HAProxy line');
}

function kindOfMessage(line: string, start: number): OtherProxyLineKind | null {
  if (line.startsWith('Connect from ', start)) return 'connect_from';
  if (line.startsWith('SPOE:', start)) return 'spoe';
  for (const opener of EVENT_OPENERS) if (line.startsWith(opener, start)) return 'other';
  return null;
}

/** `<158>` as HAProxy and rsyslog write it. */
function skipSyslogPriority(line: string): number {
  if (line.charCodeAt(0) !== LESS_THAN) return 0;
  const close = line.indexOf('>');
  return close > 1 && close <= 4 ? close + 1 : 0;
}

interface SyslogTag {
  messageStart: number;
  /** The program name says HAProxy (`haproxy[812]:`, `hapee-lb[812]:`). */
  isHaproxy: boolean;
}

/** The `program[pid]: ` that ends a BSD or ISO syslog prefix. */
function findSyslogTag(line: string, from: number): SyslogTag | null {
  const tagEnd = line.indexOf(']: ', from);
  if (tagEnd < 0) return null;
  const tokenStart = line.lastIndexOf(' ', tagEnd) + 1;
  const bracket = line.indexOf('[', Math.max(tokenStart, from));
  if (bracket < 0 || bracket > tagEnd) return null;
  const program = line.slice(Math.max(tokenStart, from), bracket).toLowerCase();
  return { messageStart: tagEnd + 3, isHaproxy: program.includes('haproxy') || program.includes('hapee') };
}

/** `10.0.0.1:5000 …` or `fe80::1:5000`: an access line cut before its accept date. */
function startsWithClientAddress(line: string, start: number): boolean {
  const spaceOrEnd = line.indexOf(' ', start);
  const end = spaceOrEnd < 0 ? line.length : spaceOrEnd;
  const colon = line.lastIndexOf(':', end - 1);
  if (colon < start || colon === end - 1) return false;
  for (let p = colon + 1; p < end; p++) {
    const code = line.charCodeAt(p);
    if (code < DIGIT_0 || code > DIGIT_0 + 9) return false;
  }
  return true;
}
