/** Lambda entry point of the `worker` function (see serverless.yml), invoked asynchronously by the `slack` function. */
import { renderChartPng } from '../slack/chart-image.js';
import { createProductionWorkerHandler } from './production.js';

export const handler = createProductionWorkerHandler(process.env, { chartImage: renderChartPng });
