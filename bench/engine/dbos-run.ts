import { DBOS } from '@dbos-inc/dbos-sdk';
import { closedLoop, summarise } from '../lib/stats.js';
import { IN_FLIGHT, N, STEPS, WARMUP, type VariantResult } from './settings.js';

/**
 * One DBOS Transact run of bench:engine, in a process of its own like each Switchyard run (forked by
 * bench/engine/index.ts, interleaved with them round by round): the same six no-op steps, the same
 * closed loop, its figures answered over IPC.
 */
async function benchDbos(url: string): Promise<VariantResult> {
  DBOS.setConfig({ name: 'switchyard-bench', systemDatabaseUrl: url, systemDatabasePoolSize: 20, logLevel: 'error' });
  const noop = DBOS.registerStep(async (i: number) => i, { name: 'noop' });
  const workflow = DBOS.registerWorkflow(
    async () => {
      for (let i = 0; i < STEPS; i += 1) await noop(i);
    },
    { name: 'sixNoops' },
  );
  await DBOS.launch();
  const runOne = async () => {
    const handle = await DBOS.startWorkflow(workflow)();
    await handle.getResult();
  };
  const { latencies, seconds, cpuMs, machineCpuMs } = await closedLoop(N, IN_FLIGHT, runOne, WARMUP);
  await DBOS.shutdown();
  return {
    variant: 'dbos',
    name: 'DBOS Transact',
    steps: STEPS,
    cpuMsPerWorkflow: cpuMs / N,
    machineCpuMsPerWorkflow: machineCpuMs / N,
    ...summarise(latencies, seconds),
  };
}

const url = process.env['BENCH_DATABASE_URL'];
if (!url || !process.send) throw new Error('run by bench/engine/index.ts (BENCH_DATABASE_URL, IPC)');
const answer = await benchDbos(url);
process.send(answer, () => process.exit(0));
