/**
 * Node's adapter for the kernels (imported by the Node library, `src/index.ts`; the browser build leaves it out):
 * starts the kernels' second thread as a `worker_threads` worker on the shared memory — from the main thread only,
 * so a sweep's worker threads, which already fill the cores, stay single-threaded — and reads two environment
 * variables: `IMRM_KERNELS=typescript|wasm` forces a back end, `IMRM_THREADS=1` keeps the kernels on one thread.
 */
import { isMainThread, Worker } from 'node:worker_threads';
import { isKernelBackend, setKernelThreadStarter, useKernels } from '../kernels.js';
import { KERNEL_THREAD_SOURCE } from './backend.js';

const forced = process.env.IMRM_KERNELS;
if (isKernelBackend(forced)) useKernels(forced);
if (isMainThread && process.env.IMRM_THREADS !== '1') {
  setKernelThreadStarter((module, memory, control) => {
    const code = `${KERNEL_THREAD_SOURCE}\nconst { workerData } = require('node:worker_threads');\nkernelThread(workerData.module, workerData.memory, workerData.control);`;
    const worker = new Worker(code, { eval: true, workerData: { module, memory, control } });
    worker.on('error', () => {}); // a thread that fails to start leaves the kernels on one thread
    worker.unref(); // never keeps the process alive
  });
}
