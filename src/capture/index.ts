export * from './types.js';
export * from './reader.js';
export * from './writer.js';
export * from './build.js';
export { parseClientHello, type ClientHelloResult } from './tls.js';
export { LINKTYPE } from './link.js';
export type { RecordSink } from './format.js';
export * from './event-writer.js';
