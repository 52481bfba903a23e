import { startOtlpReceiver } from './otlp-receiver.js';

/**
 * An OTLP/HTTP receiver in a process of its own (forked by the engine benchmark, as a local collector
 * would be): it tells its URL, then the spans and bytes it received whenever asked.
 */
const receiver = await startOtlpReceiver({ keepSpans: false });
process.send?.({ url: receiver.url });
process.on('message', () => process.send?.({ ...receiver.requests }));
process.on('disconnect', () => void receiver.close().then(() => process.exit(0)));
