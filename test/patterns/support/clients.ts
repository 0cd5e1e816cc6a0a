/** The real SDK clients of the pattern tests, pointed at the local stand-ins: fake credentials, a fixed region, no SDK retries (our retries are what is tested). */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createLogsInsightsApi, type LogsInsightsApi } from '../../../src/sources/cloudwatch/logs-insights.js';
import { createMetricsApi, type MetricsApi } from '../../../src/sources/cloudwatch/metrics.js';

const REGION = 'ap-southeast-2';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function metricsApiAt(endpoint: string): MetricsApi {
  return createMetricsApi(new CloudWatchClient({ region: REGION, endpoint, credentials, maxAttempts: 1 }));
}

export function logsApiAt(endpoint: string): LogsInsightsApi {
  return createLogsInsightsApi(new CloudWatchLogsClient({ region: REGION, endpoint, credentials, maxAttempts: 1 }));
}
