/**
 * Web Worker entry that runs the sync worker's HTTP requests (worker-fetch.ts): started by
 * sync-worker.ts, so response bodies are read here while the sync worker parses and builds.
 */
import { serveFetch, type FetchEndpoint, type FromFetchWorker, type ToFetchWorker } from './worker-fetch';

// The DOM lib types `self` as a Window; in a dedicated worker it is the worker's global scope.
const scope = self as unknown as FetchEndpoint<FromFetchWorker, ToFetchWorker>;
serveFetch(scope, fetch.bind(globalThis));
