// Entry of a data-parallel worker thread: its own TF.js backend (its own 4 GB wasm heap) and one
// Replica. Requests are answered in order; gradients are transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend.js';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './protocol.js';
import { Replica } from './replica.js';

const port = parentPort;
if (port === null) throw new Error('replica-worker must run as a worker thread');
const init = workerData as WorkerInit;
const send = (msg: WorkerResponse, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

try {
  const info = await initBackend(init.backend);
  const replica = new Replica(init.hparams, init.flat, init.padId);
  port.on('message', (req: WorkerRequest) => {
    try {
      if (req.type === 'grads') {
        const r = replica.grads(req.batches, req.seeds, req.labelSmoothing);
        send({ id: req.id, type: 'grads', ...r }, [r.grad.buffer as ArrayBuffer]);
      } else if (req.type === 'setFlat') {
        replica.setFlat(req.flat);
        send({ id: req.id, type: 'setFlat' });
      } else {
        send({ id: req.id, type: 'evaluate', ...replica.evaluate(req.batch) });
      }
    } catch (e) {
      send({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
  send({ type: 'ready', backend: info.name });
} catch (e) {
  send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
}
