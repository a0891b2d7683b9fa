/**
 * The simulation worker: runs `simulate` off the page's thread and posts each chunk as soon as it is computed
 * (module worker, started by `main.ts`). A run is stopped by terminating the worker, not by a message: `train` is
 * synchronous and would not see one until it returns.
 */
import type { Reply, Request } from './protocol.js';
import { runBenchmark, simulate } from './simulate.js';

const scope = self as unknown as { postMessage(reply: Reply): void; onmessage: ((e: MessageEvent<Request>) => void) | null };

scope.onmessage = (e: MessageEvent<Request>): void => {
  const req = e.data;
  const { id } = req;
  try {
    if (req.type === 'bench') {
      scope.postMessage({ type: 'bench', id, timings: Array.from({ length: req.reps }, () => runBenchmark()) });
      return;
    }
    const t0 = performance.now();
    simulate(
      req.settings,
      {
        onStart: (info) => scope.postMessage({ type: 'start', id, ...info }),
        onChunk: (chunk) => scope.postMessage({ type: 'chunk', id, ...chunk }),
        onProgress: (model, t, horizon) => scope.postMessage({ type: 'progress', id, model, t, horizon }),
      },
      req.cursors,
    );
    scope.postMessage({ type: 'done', id, ms: performance.now() - t0 });
  } catch (err) {
    scope.postMessage({ type: 'error', id, message: err instanceof Error ? err.message : String(err) });
  }
};
