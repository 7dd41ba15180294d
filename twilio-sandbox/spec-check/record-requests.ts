/**
 * Loaded with `--import` by the test script: appends every request the stand-in accepts, in
 * any test file, to the file TWILIO_REQUEST_LOG names, for the check that runs after the suite
 * (requests.check.ts beside this file).
 */
import { appendFileSync } from 'node:fs';
import { acceptedRequests } from '../src/request-events.js';

const file = process.env.TWILIO_REQUEST_LOG;
if (file) acceptedRequests.subscribe((request) => appendFileSync(file, `${JSON.stringify(request)}\n`));
