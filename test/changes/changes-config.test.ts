/**
 * `aws.changes` (the schema fragment src/config.ts nests under `aws`): defaults, names checked,
 * unknown keys refused, and services that need their cluster.
 */
import { describe, expect, it } from 'vitest';
import { ChangesConfigSchema, defaultChangesConfig } from '../../src/changes/changes-config.js';

describe('ChangesConfigSchema', () => {
  it('defaults to CloudTrail and target health on, a 30-minute margin and a 20 s budget', () => {
    expect(defaultChangesConfig()).toEqual({
      cloudTrail: true,
      ecsServices: [],
      autoScalingGroups: [],
      targetHealth: true,
      marginMinutes: 30,
      timeoutSeconds: 20,
    });
  });

  it('takes a full block', () => {
    const config = ChangesConfigSchema.parse({
      ecsCluster: 'prod',
      ecsServices: ['search-api', 'keepsakes_api'],
      autoScalingGroups: ['eks-nodes-a'],
      containerInsights: { clusterName: 'eks-prod', namespace: 'traefik', workloads: ['traefik'] },
      targetKeepAliveSeconds: 65,
      marginMinutes: 45,
    });

    expect(config).toMatchObject({
      ecsCluster: 'prod',
      ecsServices: ['search-api', 'keepsakes_api'],
      containerInsights: { workloads: ['traefik'] },
      targetKeepAliveSeconds: 65,
      marginMinutes: 45,
    });
  });

  it('names each problem by its key: a service without a cluster, a bad name, an unknown key', () => {
    const parsed = ChangesConfigSchema.safeParse({ ecsServices: ['search api'], keepAlive: 5 });
    const noCluster = ChangesConfigSchema.safeParse({ ecsServices: ['search-api'] });

    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['ecsServices.0', 'invalid_format'],
      ['', 'unrecognized_keys'],
      ['ecsCluster', 'custom'],
    ]);
    expect(noCluster.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['ecsCluster', 'ecsServices needs ecsCluster (the cluster they run in)'],
    ]);
  });
});
