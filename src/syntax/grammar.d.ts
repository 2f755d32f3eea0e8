// Hand-written declarations for the peggy-generated parser (grammar.js,
// built from grammar.peggy and grammar-expr.peggy by `npm run build`). Only what parse.ts uses.

export interface ParseOptions {
  file?: string;
  /** Collects lexical problems found while parsing (bad numbers, bad escapes). */
  lexical?: unknown[];
  /** Recursion bound for expressions, blocks, types and patterns. */
  maxDepth?: number;
  /** Parses the text of an interpolation's format spec (format-spec.ts). */
  formatSpec?: (text: string) => unknown;
  startRule?: "Program";
}

export interface Expectation { type: string; text?: string; description?: string; ignoreCase?: boolean }

export interface Location {
  start: { offset: number; line: number; column: number };
  end: { offset: number; line: number; column: number };
}

export declare class SyntaxError extends Error {
  expected: Expectation[] | null;
  found: string | null;
  location: Location;
}

export declare function parse(input: string, options?: ParseOptions): unknown;
export declare const StartRules: string[];
