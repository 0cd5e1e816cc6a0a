/**
 * Helpers for the "what changed" tests: the committed fixtures, the generated incidents, a clock
 * that moves only when slept on, and SDK clients pointed at the local stand-in.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  type ChangeApis,
  createCloudTrailApi,
  createEcsApi,
  createElbApi,
} from '../../../src/changes/aws/change-apis.js';
import type { ChangeScope } from '../../../src/changes/change-scope.js';
import type { Clock } from '../../../src/core/clock.js';
import type { TimeWindow } from '../../../src/core/types.js';
import { createMetricsApi } from '../../../src/sources/cloudwatch/metrics.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/changes/', import.meta.url));
export const GENERATED = `${FIXTURES}generated/`;

/** The scenario window of test/support/scenarios.ts: 05:41 AEST (19:41 UTC) ± 90 minutes. */
export const WINDOW: TimeWindow = { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') };

export const SEARCH_API_SCOPE: ChangeScope = {
  loadBalancer: 'app/k8s-ingress/0123456789abcdef',
  targetGroups: ['targetgroup/search-api/0123456789abcdef'],
  ecsCluster: 'prod',
  ecsServices: ['search-api'],
  autoScalingGroups: [],
};

export function fixtureJson<T = Record<string, unknown>>(relativePath: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}${relativePath}`, 'utf8')) as T;
}

/** A clock that stands still until slept on; sleeping moves it forward at once. */
export function steppingClock(start: Date): Clock & { slept: number[] } {
  let nowMs = start.getTime();
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(nowMs),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      nowMs += ms;
    },
  };
}

/** The real SDK clients, fake credentials, a fixed region, no SDK retries: everything through `endpoint`. */
export function realApis(endpoint: string): Required<ChangeApis> {
  const config = {
    region: 'ap-southeast-2',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  return {
    cloudTrail: createCloudTrailApi(new CloudTrailClient(config)),
    ecs: createEcsApi(new ECSClient(config)),
    elb: createElbApi(new ElasticLoadBalancingV2Client(config)),
    metrics: createMetricsApi(new CloudWatchClient(config)),
  };
}
