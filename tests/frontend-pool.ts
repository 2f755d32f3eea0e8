// The front end in worker threads, for the test runners (run-programs.ts,
// run-errors.ts). Spawning `node bin/coc.js` per program and configuration
// cost a Node start-up, the compiler's module loading and a front-end run
// each time: most of the golden suites' CPU besides the C compiler. Here
// each worker loads the compiler once and answers requests; a golden program
// goes through the front end once and its C is built with every compiler
// configuration in the runner's own process (driver.buildFrontEnd).
//
// The workers get the stack the CLI reruns itself with (src/bigstack.ts), so
// the 10,000-term operator chains pass here as they do through the CLI. A
// request that takes longer than its limit, or kills its worker, is answered
// with an error and the worker is replaced.

import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface FrontEndRequest {
  /** "build": the C for `coc build`/`coc test`; "check": what `coc check [--json]` prints. */
  kind: "build" | "check";
  entry: string; // relative to dir, as the CLI is given it with dir as its working directory
  dir: string;
  test?: boolean;
}

/** What the CLI would have said: `c` when the front end succeeded (build), the
 * rendered diagnostics (stderr of the text mode) and their JSON (stdout of
 * --json), the CLI's exit code, and `ice` for an exception in the compiler. */
export interface FrontEndReply {
  c: string | null;
  text: string;
  json: string;
  code: number;
  ice?: string;
}

type ToWorker = { id: number; req: FrontEndRequest };
type FromWorker = { id: number; reply: FrontEndReply };

const EXIT_ERRORS = 1, EXIT_ICE = 70;

async function workerMain(): Promise<void> {
  const driver = await import(pathToFileURL(join(ROOT, "dist/src/driver.js")).href);
  const diags = await import(pathToFileURL(join(ROOT, "dist/src/diagnostics.js")).href);
  parentPort!.on("message", ({ id, req }: ToWorker) => {
    let reply: FrontEndReply;
    try {
      const fe = driver.frontEnd({ entry: req.entry, dir: req.dir, emit: true, test: req.kind === "build" ? !!req.test : false });
      const failed = diags.hasErrors(fe.diagnostics) || (req.kind === "build" && fe.c === null);
      reply = {
        c: req.kind === "build" && !failed ? fe.c : null,
        text: fe.diagnostics.length ? diags.renderAll(fe.diagnostics, fe.sources) : "",
        json: JSON.stringify(diags.toJson(fe.diagnostics), null, 2) + "\n",
        code: failed ? EXIT_ERRORS : 0,
      };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      // The CLI's wording (cli.ts internalError), so a failure reads the same as before.
      const ice = `internal compiler error: ${err.message}\n` + (err.stack ? err.stack.split("\n").slice(1, 8).join("\n") + "\n" : "");
      reply = { c: null, text: ice, json: "", code: EXIT_ICE, ice };
    }
    parentPort!.postMessage({ id, reply } satisfies FromWorker);
  });
}

interface Slot { worker: Worker; busy: { id: number; done: (r: FrontEndReply) => void; timer: NodeJS.Timeout } | null }

/** `size` workers; run() queues a request and resolves with its reply. */
export class FrontEndPool {
  private slots: Slot[] = [];
  private queue: { req: FrontEndRequest; done: (r: FrontEndReply) => void }[] = [];
  private nextId = 0;

  constructor(private size: number, private timeoutMs: number) {}

  run(req: FrontEndRequest): Promise<FrontEndReply> {
    return new Promise((done) => { this.queue.push({ req, done }); this.pump(); });
  }

  /** Ends the workers (the runner's event loop would otherwise stay alive). */
  async close(): Promise<void> {
    const ws = this.slots.map((s) => s.worker);
    this.slots = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(new URL(import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: 512 } });
    const slot: Slot = { worker, busy: null };
    worker.on("message", (m: FromWorker) => {
      const b = slot.busy;
      if (!b || b.id !== m.id) return;
      clearTimeout(b.timer);
      slot.busy = null;
      b.done(m.reply);
      this.pump();
    });
    const lost = (why: string): void => {
      const b = slot.busy;
      this.slots = this.slots.filter((s) => s !== slot);
      if (b) {
        clearTimeout(b.timer);
        slot.busy = null;
        b.done({ c: null, text: why, json: "", code: EXIT_ICE, ice: why });
      }
      this.pump();
    };
    worker.on("error", (e) => lost(`internal compiler error: the front-end worker failed: ${e.stack ?? e}\n`));
    worker.on("exit", () => lost("internal compiler error: the front-end worker exited\n"));
    this.slots.push(slot);
    return slot;
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const { req, done } = this.queue.shift()!;
      const id = this.nextId++;
      const s = slot;
      const timer = setTimeout(() => {
        // A hung front end: answer, and replace the worker.
        s.busy = null;
        this.slots = this.slots.filter((x) => x !== s);
        void s.worker.terminate();
        done({ c: null, text: `front end timed out after ${this.timeoutMs / 1000} s\n`, json: "", code: -1, ice: `timed out after ${this.timeoutMs / 1000} s` });
        this.pump();
      }, this.timeoutMs);
      s.busy = { id, done, timer };
      s.worker.postMessage({ id, req } satisfies ToWorker);
    }
  }
}

if (!isMainThread && parentPort) await workerMain();
