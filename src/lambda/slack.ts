/** Lambda entry point of the `slack` function (see serverless.yml). Two-argument async handler: Node 24 runtimes reject callbacks. */
import { createProductionSlackHandler } from './production.js';

export const handler = createProductionSlackHandler(process.env);
