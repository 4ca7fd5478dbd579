import { Worker } from 'node:worker_threads';
import type { WorkerMessage, WorkerTask } from './worker.ts';

export class TrainingError extends Error {}

/** Runs one task in a fresh worker thread; the request thread only waits for the message. */
export function runInWorker<T>(
  task: WorkerTask,
  onProgress?: (fraction: number, message: string) => void,
  transfer: ArrayBuffer[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url));
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.fraction, m.message);
      else if (m.type === 'done') finish(() => resolve(m.value as T));
      else finish(() => reject(new TrainingError(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`training worker exited with code ${code}`))));
    worker.postMessage(task, transfer);
  });
}
