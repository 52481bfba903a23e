import WebSocket from 'ws';

/**
 * A benchmark's handle on another Node process started with `--inspect=127.0.0.1:0`, through the Chrome
 * DevTools Protocol: a full garbage collection on demand and the V8 heap's use, so that a memory figure
 * can be read without the garbage the collector simply has not reached yet.
 */
export interface InspectedProcess {
  /** A full, memory-reducing collection (DevTools' "collect garbage" button). */
  collectGarbage(): Promise<void>;
  /** V8 heap in use, MB. */
  heapUsedMb(): Promise<number>;
  close(): Promise<void>;
}

/** The address the inspector prints on stderr: `Debugger listening on ws://127.0.0.1:PORT/UUID`. */
export function inspectorUrl(output: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
}

export async function inspect(url: string): Promise<InspectedProcess> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.on('message', (data: WebSocket.RawData) => {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString('utf8')
        : data.toString('utf8');
    const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter || message.id === undefined) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`inspector: ${message.error.message}`));
    else waiter.resolve(message.result);
  });
  const send = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    async collectGarbage() {
      await send('HeapProfiler.collectGarbage');
    },
    async heapUsedMb() {
      const usage = (await send('Runtime.getHeapUsage')) as { usedSize: number };
      return usage.usedSize / (1024 * 1024);
    },
    async close() {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
}
