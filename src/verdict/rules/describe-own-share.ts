import { formatCount, formatRate } from '../../core/format-number.js';
import type { JudgeContext } from '../judge-context.js';
import { poissonUpperTail } from '../poisson.js';

/** "prod_000_audio had 17 in those minutes, about 22 expected at its usual ~1.8/min." */
export function describeOwnShare(
  ctx: JudgeContext,
  own: { count: number; expected: number; usualPerMinute: number },
): string {
  const usual = `about ${formatCount(own.expected)} expected at its usual ~${formatRate(own.usualPerMinute)}/min`;
  const above = poissonUpperTail(own.count, Math.max(own.expected, 0.5)) < 1e-4;
  return `${ctx.evidence.index} had ${formatCount(own.count)} ${ctx.mintedErrors} in those minutes, ${usual}${above ? ': more than usual, see its own findings' : ': no more than usual'}.`;
}
