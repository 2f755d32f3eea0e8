// Lowering: decides what goes into the C translation unit. Here we fix the
// roots and their order: `main` (or the tests) and the global initialisers;
// the mono pass (mono.ts) computes every function instance reachable from them.

import type { TypedProgram, GlobalInfo, TestInfo } from "../check/types.js";
import type { MemoryFacts } from "../memory/regions.js";

export interface LoweredProgram {
  typed: TypedProgram;
  memory: MemoryFacts; // which stores copy, and why (the emitter inserts exactly those copies)
  mode: "build" | "test";
  globals: GlobalInfo[]; // initialisation order
  tests: TestInfo[]; // test mode only
}

export function lower(typed: TypedProgram, memory: MemoryFacts, mode: "build" | "test"): LoweredProgram {
  return { typed, memory, mode, globals: typed.globals, tests: mode === "test" ? typed.tests : [] };
}
