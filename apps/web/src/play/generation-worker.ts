import type { WorkerReply, WorkerRequest } from './protocol.js';

/**
 * The page's handle on the generation worker. Generation is one synchronous loop inside the worker, so
 * stopping terminates the worker and starts a fresh one with the same model: instant at any token, and the
 * page never waits for the loop to look at a flag.
 */
export class GenerationWorker {
  private worker: Worker;
  private model: { name: string; bytes: ArrayBuffer } | null = null;

  constructor(private readonly onReply: (reply: WorkerReply) => void) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<WorkerReply>) => this.onReply(event.data);
    worker.onerror = (event) =>
      this.onReply({ type: 'error', message: event.message || 'the generation worker failed' });
    return worker;
  }

  private send(request: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  /** Loads a model file (the page keeps its bytes, to reload it after a stop). */
  load(name: string, bytes: ArrayBuffer): void {
    this.model = { name, bytes };
    this.send({ type: 'load', name, bytes: bytes.slice(0) });
  }

  generate(request: Omit<Extract<WorkerRequest, { type: 'generate' }>, 'type'>): void {
    const primer = request.primer && { name: request.primer.name, bytes: request.primer.bytes.slice(0) };
    this.send({ type: 'generate', ...request, ...(primer ? { primer } : {}) });
  }

  /** Ends the current piece now; the model is reloaded into a fresh worker (its 'loaded' reply follows). */
  stop(): void {
    this.worker.terminate();
    this.worker = this.spawn();
    if (this.model !== null) this.load(this.model.name, this.model.bytes);
  }
}
