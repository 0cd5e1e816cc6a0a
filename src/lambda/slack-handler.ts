/**
 * The `slack` Lambda function (API Gateway HTTP API, POST /slack/events): verify, acknowledge,
 * hand on. It checks the signature itself (constant time, ±5 minutes, on the injected clock)
 * and answers 401 for a bad one; then Bolt's AwsLambdaReceiver routes the request to the same
 * listeners as `why502 serve`, whose dispatcher here is an async invoke of the worker. Bolt
 * returns the acknowledgement when the listener finishes, which is right after the invoke is
 * accepted: nothing is left running when the function returns and Lambda freezes it.
 */
import { AwsLambdaReceiver } from '@slack/bolt';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { InvestigationRunner } from '../engine/investigation-runner.js';
import { describeError } from '../errors.js';
import { failureNotice } from '../render/slack/notices.js';
import { type AppLogger, errorFields, toBoltLogger } from '../slack/app-logger.js';
import { createSlackApp } from '../slack/create-slack-app.js';
import type { JobDispatcher } from '../slack/slack-jobs.js';
import { verifySlackSignature } from '../slack/verify-signature.js';
import { isSslCheck, normalisedForBolt, readApiGatewayRequest } from './api-gateway-request.js';

export type BoltAwsHandler = Awaited<ReturnType<AwsLambdaReceiver['start']>>;
export type SlackLambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface SlackHandlerDeps {
  clock: Pick<Clock, 'now'>;
  logger: AppLogger;
  /** The signing secret, from the environment or SSM; the caller caches it. */
  signingSecret(): Promise<string>;
  /** The Bolt app behind verified requests; the caller builds it once per execution environment. */
  boltHandler(): Promise<BoltAwsHandler>;
}

export function createSlackHandler(deps: SlackHandlerDeps): SlackLambdaHandler {
  return async (event, context) => {
    const request = readApiGatewayRequest(event);
    if (isSslCheck(request)) return { statusCode: 200, body: '' };

    let signingSecret: string;
    try {
      signingSecret = await deps.signingSecret();
    } catch (error) {
      // Without the secret nothing can be verified, so nothing may be said to the caller.
      deps.logger.error('Cannot load the signing secret', errorFields(error));
      return { statusCode: 503, body: '' };
    }
    const check = verifySlackSignature({
      signingSecret,
      rawBody: request.rawBody,
      timestamp: request.header('x-slack-request-timestamp'),
      signature: request.header('x-slack-signature'),
      nowMs: deps.clock.now().getTime(),
    });
    if (!check.ok) {
      deps.logger.warn('Rejected a request that is not from Slack', { reason: check.reason });
      return { statusCode: 401, body: '' };
    }

    let bolt: BoltAwsHandler;
    try {
      bolt = await deps.boltHandler();
    } catch (error) {
      deps.logger.error('The Slack app could not start', errorFields(error));
      // The request is verified: the person who typed the command may see why it cannot run.
      return json({
        response_type: 'ephemeral',
        text: failureNotice('why502 is not set up correctly', describeError(error)),
      });
    }
    return bolt(normalisedForBolt(event, request), context);
  };
}

function json(body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export interface LambdaBoltOptions {
  runner: InvestigationRunner;
  config: Config;
  logger: AppLogger;
  clock: Clock;
  dispatcher: JobDispatcher;
  /** SLACK_API_URL, whose host is accepted for response_url besides hooks.slack.com. */
  slackApiUrl?: string;
  /** Bound on an ephemeral answer sent before the acknowledgement returns. */
  respondTimeoutMs?: number;
}

/**
 * The Bolt app for the `slack` function. Signature verification is off in Bolt because
 * createSlackHandler has already done it (Bolt's check ignores future timestamps and reads
 * the machine clock). No bot token: this function only acknowledges and dispatches.
 */
export function buildLambdaBolt(options: LambdaBoltOptions): Promise<BoltAwsHandler> {
  const receiver = new AwsLambdaReceiver({
    signingSecret: '',
    signatureVerification: false,
    logger: toBoltLogger(options.logger),
  });
  createSlackApp({
    runner: options.runner,
    config: options.config,
    secrets: {},
    logger: options.logger,
    clock: options.clock,
    receiver,
    dispatcher: options.dispatcher,
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    ...(options.respondTimeoutMs ? { respondTimeoutMs: options.respondTimeoutMs } : {}),
  });
  return receiver.start();
}
