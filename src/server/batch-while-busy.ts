/**
 * Hands calls that arrive while a run is in flight to the next run together, so that N concurrent
 * callers cost one database round trip instead of N. An idle batcher runs a call at once: there is
 * no timer and no added wait, and under load a batch grows to whatever queued meanwhile
 * (docs/decisions/179-concurrent-requests-share-round-trips.md).
 *
 * `run` answers each input at the same index, with a value or a promise (a rejected promise fails
 * just that caller). When `run` itself throws, every caller of that batch gets the error.
 */
export class BatchWhileBusy<I, O> {
  readonly #run: (inputs: I[]) => Promise<Array<O | Promise<O>>>;
  readonly #maxBatch: number;
  readonly #maxRunning: number;
  #queue: { input: I; resolve: (value: O | Promise<O>) => void; reject: (error: unknown) => void }[] = [];
  #running = 0;

  /** `maxRunning` runs may be in flight at once; a call waits only when all of them are. */
  constructor(
    run: (inputs: I[]) => Promise<Array<O | Promise<O>>>,
    options: { maxBatch: number; maxRunning: number },
  ) {
    this.#run = run;
    this.#maxBatch = options.maxBatch;
    this.#maxRunning = options.maxRunning;
  }

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (this.#running < this.#maxRunning) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running++;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        const answers = await this.#run(batch.map((b) => b.input));
        for (const [i, b] of batch.entries()) b.resolve(answers[i] as O | Promise<O>);
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.#running--;
  }
}
