import type { JudgeContext } from './judge-context.js';

/**
 * The words and the advice that depend on the stack the logs came from (CONTRACT §11): an ALB's
 * target groups and configurable idle timeout, or Google Cloud's backend services and its front
 * end's fixed 600 s backend keep-alive. Facts stay stack-neutral; only their phrasing moves here.
 */
export interface StackWords {
  /** "target group" / "backend service": what a tenant is. */
  tenant: string;
  /** How an LB-minted 502 shows in these logs, for a reason: 'target status "-"'. */
  mintedMark: string;
  /** The load balancer as a reason names it as a witness: "The ALB agrees independently". */
  lb: string;
  /** The load balancer's idle timeout against which targets' keep-alive must be longer, in seconds. */
  idleTimeoutSeconds: number;
  isGcp: boolean;
}

/** Google's front end keeps idle backend connections this long, and it cannot be changed (next-capabilities §5.3). */
export const GFE_BACKEND_KEEPALIVE_SECONDS = 600;

export function stackWords(ctx: JudgeContext): StackWords {
  const isGcp = ctx.evidence.context.stack?.loadBalancer === 'gcp';
  return isGcp
    ? {
        tenant: 'backend service',
        lb: 'load balancer',
        mintedMark: 'statusDetails other than response_sent_by_backend',
        idleTimeoutSeconds: GFE_BACKEND_KEEPALIVE_SECONDS,
        isGcp,
      }
    : {
        tenant: 'target group',
        lb: 'ALB',
        mintedMark: 'target status "-"',
        idleTimeoutSeconds: ctx.evidence.context.idleTimeoutSeconds,
        isGcp,
      };
}

/** What fixes the keep-alive race on this stack. */
export function keepaliveAdvice(ctx: JudgeContext): string {
  const words = stackWords(ctx);
  const seconds = words.idleTimeoutSeconds;
  if (words.isGcp) {
    return (
      `Google's front end keeps idle connections to backends for a fixed ${seconds} s, which cannot be changed: make the backends' keep-alive longer, ` +
      `e.g. ${seconds + 20} s (nginx keepalive_timeout ${seconds + 20}s; Node.js server.keepAliveTimeout = ${(seconds + 20) * 1000} and headersTimeout = ${(seconds + 21) * 1000}).`
    );
  }
  return `Make the targets' keep-alive (idle) timeout longer than the load balancer's idle timeout (${seconds} s): e.g. Node.js server.keepAliveTimeout = ${(seconds + 5) * 1000} and headersTimeout = ${(seconds + 6) * 1000}; HAProxy "timeout http-keep-alive" above ${seconds}s.`;
}

/** What makes shutdowns and scale-ins graceful on this stack. */
export function drainingAdvice(ctx: JudgeContext): string {
  if (stackWords(ctx).isGcp) {
    return "Make shutdowns graceful: set the backend service's connectionDraining.drainingTimeoutSec above the longest request, give pods a preStop delay, and with container-native load balancing (NEGs) let the endpoint leave the NEG before the pod stops.";
  }
  return 'Make shutdowns graceful: a preStop delay and a deregistration delay longer than the longest request, and SIGTERM handling that drains connections.';
}
