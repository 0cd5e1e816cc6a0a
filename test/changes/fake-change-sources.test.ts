/**
 * The stand-in itself, through the real SDK clients: it must refuse what the services refuse, or
 * the provider tests would prove nothing.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeChangeSources, startFakeChangeSources } from '../support/fake-change-sources.js';
import { fixtureJson, realApis } from './support/change-fixtures.js';

let fake: FakeChangeSources;
afterEach(async () => {
  await fake?.close();
});

describe('the change-sources stand-in', () => {
  it('refuses two lookup attributes, more than 50 a page and a token from another query, as CloudTrail does', async () => {
    fake = await startFakeChangeSources({
      cloudTrailEvents: fixtureJson<{ Events: Array<Record<string, unknown>> }>(
        'generated/deploy/cloudtrail-lookup-events.json',
      ).Events,
      cloudTrailRatePerSecond: 100,
    });
    const { cloudTrail } = realApis(fake.endpoint);
    const source = { AttributeKey: 'EventSource' as const, AttributeValue: 'elasticloadbalancing.amazonaws.com' };

    await expect(
      cloudTrail.lookupEvents({ LookupAttributes: [source, { AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }),
    ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
    await expect(cloudTrail.lookupEvents({ LookupAttributes: [source], MaxResults: 51 })).rejects.toMatchObject({
      name: 'InvalidMaxResultsException',
    });
    const first = await cloudTrail.lookupEvents({ LookupAttributes: [source], MaxResults: 2 });
    await expect(
      cloudTrail.lookupEvents({
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'ecs.amazonaws.com' }],
        MaxResults: 2,
        NextToken: first.NextToken!,
      }),
    ).rejects.toMatchObject({
      name: 'InvalidNextTokenException',
    });
    expect(first.Events!.map((e) => [e.EventName, e.EventTime])).toEqual([
      ['DescribeTargetHealth', new Date('2026-06-18T19:41:30Z')],
      ['DeregisterTargets', new Date('2026-06-18T19:40:03Z')],
    ]);
  });

  it('throttles the third LookupEvents within a second on its own clock', async () => {
    const now = Date.parse('2026-06-18T19:55:00Z');
    fake = await startFakeChangeSources({ cloudTrailEvents: [], now: () => now });
    const { cloudTrail } = realApis(fake.endpoint);

    await cloudTrail.lookupEvents({});
    await cloudTrail.lookupEvents({});

    await expect(cloudTrail.lookupEvents({})).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("answers the botocore model's long X-Amz-Target as well as the one the installed client sends", async () => {
    fake = await startFakeChangeSources({ cloudTrailEvents: [] });
    const client = new CloudTrailClient({
      region: 'ap-southeast-2',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers['x-amz-target'] = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';
        return next(args);
      },
      { step: 'build' },
    );

    await expect(client.send(new LookupEventsCommand({}))).resolves.toMatchObject({ Events: [] });
  });

  it('refuses more than 10 services and more than 100 tasks, and answers an unknown cluster with ClusterNotFoundException', async () => {
    fake = await startFakeChangeSources({ ecs: { prod: { services: [], tasks: [] } } });
    const { ecs } = realApis(fake.endpoint);

    await expect(
      ecs.describeServices({ cluster: 'prod', services: Array.from({ length: 11 }, (_, i) => `s${i}`) }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      ecs.describeTasks({ cluster: 'prod', tasks: Array.from({ length: 101 }, (_, i) => `t${i}`) }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(ecs.describeServices({ cluster: 'staging', services: ['web'] })).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
  });
});
