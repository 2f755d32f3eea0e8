// The lowering IR: a small, typed, C-shaped form between the typed tree and
// C text. Functions have typed locals and structured statements; every value
// has a Colang type (plus the few C-only types below); calls name their
// target symbolically (a runtime symbol from the ABI table, a derived function
// of a type, a collection operation, a function instance), never by a C name:
// names are chosen by the printer (src/emit/names.ts). Passes build and
// transform this; src/emit/print.ts turns it into C text and decides nothing.

import type { Type, FnInfo, LocalVar, GlobalInfo } from "../check/types.js";
import type { MonoTable } from "./mono.js";
import type { FormatSpec } from "../syntax/format-spec.js";

/** Types of IR values: Colang types, and C-only ones the lowering needs. */
export type IrType =
  | Type
  | { k: "region" } // co_region *
  | { k: "ptr"; to: IrType; const?: boolean } // a pointer (to a collection slot, a boxed payload, a value passed by reference; const: to what it must not change)
  | { k: "cstr" } // const char * (C string literals)
  | { k: "voidp" } // void * (the object a drop step works on)
  | { k: "payload"; type: Extract<Type, { k: "enum" }>; variant: number } // the boxed payload struct of a recursive enum's variant
  | { k: "jsonDec" } // co_json_dec: the JSON decoder's state (a struct, passed by pointer)
  | { k: "frame"; name: string } // F_NAME: the frame struct of an async body (emit/async.ts), by the base C name c.ts chose for the body
  | { k: "fut" } // co_fut: the header every frame and std future starts with
  | { k: "futView"; t: Type } // AR_R: a future seen as its header and its result of type t (emit/async.ts resultView)
  | { k: "void" } // void: the type of a cast that discards a value (`(void)(...)`)
  | { k: "handle" } // co_handle: a task's handle, whatever its result type (an element of a C array of handles)
  | { k: "cint" } // C's int: a source line or column, a comparator's result, a `%.*s` width
  | { k: "clong" } // C's long long: a `%lld` argument of a panic message
  | { k: "char" } // C's char: what the C `main`'s `argv` points to the pointers of
  | { k: "fail" } // co_fail *: the failure stub of a checked operation's site, passed to a function that may fail for it
  | { k: "sb" } // co_sb: a string builder held by value (a function's own, taken by address)
  | { k: "env"; closure: string } // NAME_env: the environment struct of closure NAME (emit/closures.ts), by the closure's C name
  | { k: "entry"; type: Extract<Type, { k: "map" | "set" }> } // N_entry: an entry (key, value) of a map or set instance
  | { k: "header"; type: Extract<Type, { k: "vec" | "map" | "set" }> } // N: the header struct of a collection instance (a value of the collection type points to one)
  | { k: "ctype"; c: string }; // a C type spelled by the string emitter (the bridge while function bodies move onto the IR)

export interface Local { id: number; name: string; type: IrType }

/** What a call calls. */
export type Callee =
  | { c: "rt"; name: string } // a runtime symbol (src/emit/runtime-abi.ts)
  | { c: "derive"; kind: DeriveKind; type: Type } // a function derived per type (src/lower/derive/)
  | { c: "coll"; op: CollOp; type: Type } // an operation of a collection instance (CO_VEC_DEFINE and friends)
  | { c: "instance"; f: FnInfo; typeArgs: Type[]; unchecked?: boolean } // a Colang function, instantiated (unchecked: its copy without integer checks, `f__nc`)
  | { c: "value"; fn: Expr } // a closure or function value (a variable: its code pointer is called with its environment first, `f.fn(f.env, ...)`)
  | { c: "extern"; f: FnInfo; part?: "new" | "poll" } // an `extern fn` of a std module (its C symbol; an async one's future constructor or poll function)
  | { c: "helper"; name: string } // a helper the emitter generated (the map index `mi_N`), by the C name it registered
  | { c: "frame"; name: string; part: "new" | "poll" | "fut" | "held" } // an async body's frame (emit/async.ts) by the base C name c.ts chose for the body: its constructor NAME_new, its poll function NAME_poll, or (fut) the constructor NAME returning `co_fut *` of a closure or test, or (held) the poll wrapper NAME_held of an async closure's frame holding its environment (co_env_release when done)
  | { c: "ptr"; fn: Expr } // a function pointer held in memory (a future's `poll` member: `v->poll(v)`)
  | { c: "collfn"; op: CollFn; on: Type; args: Type[] } // a collection function generated per collection type and argument types (src/lower/coll-fns.ts)
  // The helper functions of src/lower/helper-fns.ts:
  | { c: "envfn"; closure: string; part: "clone" | "drop" } // a closure environment's deep-copy or drop function, by the closure's C name
  | { c: "wrap"; of: Callee; async?: boolean } // a named function as a value: the closure calling convention around `of` (an instance; async: the frame's or extern's future constructor)
  | { c: "dropping"; op: DroppingOp; type: Extract<Type, { k: "vec" | "map" | "set" }> } // a collection operation that drops what it removes or replaces when the collection is in global memory (emit/drops.ts)
  | { c: "unwrapFail"; err: Type } // the cold path of `Result.unwrap()`/`expect(msg)` with error type err: panics
  | { c: "zero"; type: Extract<Type, { k: "enum" }> } // the zero value of a recursive enum whose first variant has fields (its box allocated)
  | { c: "main" } // the C `main` (src/lower/main-fn.ts): the program's entry, the one function not `static`
  | { c: "initGlobals" } // `co__init_globals`: the global initialiser (its body is the IR body of that name)
  | { c: "test"; name: string } // a test's function (`static void NAME(void)`), by the C name c.ts chose for it
  | { c: "asyncMain"; of: Callee } // `co__make_main`: the future of an async `main` (of: its frame's constructor), which the runtime runs
  | { c: "key"; kind: "hash" | "eq"; type: Type }; // the hash or equality function a map or set instance of key type `type` is defined with

/** The collection operations that drop what they remove from global memory (set: a map's, replacing a value). */
export type DroppingOp = "set" | "delete" | "insert" | "pop" | "remove" | "clear";

export type DeriveKind = "eq" | "hash" | "show" | "showNested" | "clone" | "promote" | "restore" | "leave" | "drop" | "dropStep"
  | "jsonEnc" | "jsonDec" | "jsonStr" | "jsonDoc" // std/json: append, decode into, encode to a string, decode a document
  | "keep"; // a map's or set's copy keeping its entry layout (derive/keep.ts: a shared one's contents moved by a loop's carry)
export type CollOp = "new" | "with_cap" | "from" | "push" | "set" | "insert" | "next" | "key" | "val"
  | "has" | "delete" | "clear" | "remove" | "slice" | "reversed" | "sort"
  | "get" | "at" | "pop" | "sort_by" | "slot" | "copy" | "lookup"; // copy: a new Vec of the same elements (in the current region); get: a Vec's element by value (bounds-checked, a source location last) or a pointer to a Map's value (NULL when missing); at: a Vec's element by pointer (bounds-checked); pop: into a pointer, true when there was one; sort_by: with a comparator, its context and a source location; slot: a Map's value by pointer, inserted (zero) when missing, the flag says so; lookup: a pointer to the entry of a key (NULL when missing)

/** The collection operations that are one generated function each (src/lower/coll-fns.ts). */
export type CollFn = "find" | "findIndex" | "any" | "all" | "reduce" | "fold" | "sum" | "min" | "max" | "minBy" | "maxBy"
  | "dedup" | "chunks" | "zip" | "take" | "skip" // Vec helpers (check/helpers.ts)
  | "indexOf" | "join" | "enumerate" | "map" | "filter" | "cmp" // Vec methods: contains/indexOf, join, enumerate, map, filter, sortBy's comparator
  | "keys" | "values" // of a Map or Set
  | "index" // m[k]: a pointer to the value of key k, panicking when it is missing
  | "split" | "lines" | "chars" | "bytes"; // the string methods that build a Vec

export type BinOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||" | "+" | "-" | "*" | "/" | "%" | "&" | "|" | "^" | "<<" | ">>";

export type Expr =
  | { e: "local"; l: Local }
  | { e: "var"; v: LocalVar | GlobalInfo; frame: boolean } // a Colang local or global by its symbol; frame: a member of the async frame
  | { e: "int"; v: number; t: Type } // a C integer constant of type t
  | { e: "bool"; v: boolean }
  | { e: "cstr"; v: string } // a C string literal of these UTF-8 bytes
  | { e: "field"; of: Expr; name: string } // a struct field, by its Colang name
  | { e: "elem"; of: Expr; i: number } // a tuple element
  | { e: "tag"; of: Expr; type: Extract<Type, { k: "enum" }> } // an enum's variant index (an lvalue only as an assignment's target)
  | { e: "payload"; of: Expr; type: Extract<Type, { k: "enum" }>; variant: number; i: number } // a variant's field (through the box of a recursive enum)
  | { e: "box"; of: Expr; type: Extract<Type, { k: "enum" }>; variant: number } // a recursive enum's payload pointer (the variant is known; as an assignment's target it sets the variant too)
  | { e: "has"; of: Expr } | { e: "val"; of: Expr } // an optional's flag and value
  | { e: "len"; of: Expr } // a Vec's length
  | { e: "at"; of: Expr; i: Expr } // a Vec's element i (unchecked: the caller bounds i)
  | { e: "deref"; p: Expr; bare?: boolean } // *p (bare: without the parentheses, where the string emitter wrote none; layout only)
  | { e: "strLen"; of: Expr } // a string's length in bytes
  | { e: "strPtr"; of: Expr } // a string's first byte (`const char *`)
  | { e: "strOf"; ptr: Expr; len: Expr } // the string of len bytes at ptr (no copy: a view into what ptr points into)
  | { e: "arrow"; p: Expr; field: string } // p->field of a C struct the IR knows by name (frames, boxes, envs)
  | { e: "dot"; of: Expr; field: string } // of.field of a C struct the IR knows by name (a frame's `hdr`)
  | { e: "bin"; op: BinOp; l: Expr; r: Expr; flat?: boolean } // C operators: no overflow checks (the lowering proved them unneeded); flat: operands without parentheses, where the string emitter wrote none (a versioned loop's guards, a growth check: C's precedence reads them as built); layout only
  | { e: "not"; x: Expr }
  | { e: "bitnot"; t: Type; x: Expr } // ~x of integer type t, cast back to t (C promotes a small type to int): `((T)~x)`
  | { e: "unop"; op: "!" | "-"; x: Expr } // a body's unary operator: parenthesised like bin (unless the whole of a condition)
  | { e: "cast"; to: IrType; x: Expr; bare?: boolean } // bare: `(T)(x)`, without the outer parentheses, where the string emitter wrote none (a formatted number); layout only
  | { e: "call"; f: Callee; args: Expr[] }
  | { e: "sizeofDeref"; p: Expr } // sizeof *p
  | { e: "sizeof"; t: IrType; align?: boolean } // sizeof(t), or (align) _Alignof(t)
  | { e: "offsetof"; t: IrType; field: string } // offsetof(t, field): a member's offset in a C struct the IR knows by name (a frame)
  | { e: "cond"; c: Expr; a: Expr; b: Expr; own?: boolean; flat?: boolean } // c ? a : b (own: a body's `??`, parenthesised like bin, unless the whole of a condition; flat: the test printed as if it stood whole, where the string emitter wrote it without parentheses: a Result helper's `tag == 0`; layout only)
  | { e: "sym"; name: string } // a runtime variable or constant (co_current, CO_HASH_INIT: the ABI table)
  | { e: "fail"; stub: string } // the failure stub of a checked operation's site (emit/fail-stubs.ts), passed to the runtime's checked call
  | { e: "env"; of: Expr } // a function value's environment pointer
  | { e: "envClone"; fnv: Expr } // a closure environment copied through its own clone function (the first member)
  | { e: "null" }
  | { e: "fnNames" } // the program's table of C function names and their Colang names (emit/fn-names.ts, `co__fn_names`), which the C `main` hands to the runtime
  | { e: "fnref"; f: Callee } // a function's address (a drop step handed to the runtime's queue)
  | { e: "fnValue"; t: Type; fn: Callee; env: Expr } // a function value of fn type t: the code (a closure's function, a named function's wrapper) and its environment (NULL: none)
  | { e: "addr"; of: Expr; bare?: boolean } // &place (bare: without the parentheses, where the string emitter wrote none: a `mut self` receiver; layout only)
  | { e: "none"; t: Type } // the none value of an optional type t
  | { e: "some"; t: Type; x: Expr } // x as a value of the optional type t
  | { e: "optional"; t: Type; has: Expr; v: Expr } // a value of the optional type t from its flag and value (v is read only when has)
  | { e: "struct"; type: Extract<Type, { k: "struct" }>; fields: { name: string; v: Expr }[] } // a struct value, its fields by Colang name in this order
  | { e: "tuple"; type: Extract<Type, { k: "tuple" }>; elems: Expr[] } // a tuple value
  | { e: "variant"; type: Extract<Type, { k: "enum" }>; variant: number; fields: Expr[]; box?: Expr } // a value of a variant of an enum without boxes, its payload's fields in order; of a recursive enum, a unit variant or (box) the pointer to its filled payload
  | { e: "zero"; t: Type } // a placeholder value of type t, overwritten before it is read (no allocation)
  | { e: "default"; t: Type } // the zero value of t a missing value reads as (ctext.ts zero: an empty string or collection, zero fields)
  | { e: "lit"; t: Type; v: bigint | number | string } // a literal of an integer, float or string type
  | { e: "seq"; first: Expr; then: Expr } // C's comma operator: first runs for its effect, then is the value (a call into std after the record of the caller's location, `co_caller_at`)
  | { e: "unlikely"; x: Expr } // x, a condition the C compiler is told is almost never true (`__builtin_expect(x, 0)`: an assert's failure test)
  | { e: "fmt"; spec: FormatSpec } // a format spec as a `const co_fmt *` (a compound literal, co_fmt.h): the formatting calls' last operand
  | { e: "view"; to: IrType; p: Expr; bare?: boolean } // ((T)p): a pointer seen as a pointer to another C struct (a future as its result view `AR_R *`, a frame as `co_fut *`); bare: `(T)p`, without the outer parentheses, where the string emitter wrote none
  | { e: "paren"; x: Expr } // (x): parentheses the string emitter wrote (around an operator that stands whole, an operand of its derived `==`); layout only
  | { e: "c"; text: string } // a C expression from the string emitter: the bridge while function bodies move onto the IR
  | { e: "array"; t: IrType; elems: Expr[] } // a C array of these values of type t (`((T[]){ a, b })`: the handles of a race or of the tuple await all)
  | { e: "index"; of: Expr; i: Expr } // of[i] of a C array
  | { e: "inc"; x: Expr } // x++ (a C `for` loop's step)
  | { e: "set"; to: Expr; v: Expr }; // to = v as an expression (a C `for` loop's step: a map or set cursor moving on)

/** A source location: a statement carrying one is printed after a `#line` directive naming it. */
export interface Loc { file: string; line: number; col: number }

export type Stmt = StmtKind & { src?: Loc };

export type StmtKind =
  | { s: "decl"; l: Local; init: Expr | null } // printed `T name = init;` (a pointer `T *name`)
  | { s: "assign"; to: Expr; v: Expr }
  | { s: "expr"; x: Expr }
  | { s: "discard"; x: Expr } // an expression statement whose value is unused and that is not a call by name: `(void)(x);`
  | { s: "if"; cond: Expr; then: Stmt[]; else_: Stmt[]; keepElse?: boolean; short?: boolean } // keepElse: an else branch printed even when empty (the source wrote one); short: one then statement, no else, without braces, starting on the line of the test
  | { s: "while"; cond: Expr; body: Stmt[] }
  | { s: "for"; l: Local; from: Expr; cond: Expr; next: Expr; body: Stmt[] } // for (l = from; cond; l = next)
  | { s: "cfor"; init: Stmt; cond: Expr | null; step: Expr; body: Stmt[]; short?: boolean } // for (init; cond; step): init a declaration or assignment, cond null for none; short: one body statement on the line of the header
  | { s: "switch"; on: Expr; cases: { v: number; body: Stmt[] }[]; default_: Stmt[] }
  | { s: "return"; v: Expr | null }
  | { s: "loop"; body: Stmt[] } // for (;;)
  | { s: "break" } | { s: "continue" }
  | { s: "block"; body: Stmt[]; inline?: number } // { ... }: a scope of its own; the first `inline` statements share the line of the opening brace (all of them: the closing one's too)
  | { s: "row"; body: Stmt[] } // statements written on one line of C (a layout only: no scope)
  | { s: "empty" } // no C: a source location where a Colang statement emitted nothing
  | { s: "suspend"; k: number } // an await about to poll: the frame records resume point k and the current region
  | { s: "dispatch"; resumes: number } // the first statement of a poll function: jump to the resume point the frame recorded (1..resumes), run from the top (0), or return done (-1)
  | { s: "done"; v: Expr | null } // an async body returns: v becomes the frame's result, the frame is marked done, the poll function returns true
  | { s: "resume"; k: number } // where an await resumes (the poll function's switch jumps here): the task's region becomes current again
  | { s: "label"; name: string } | { s: "goto"; name: string } // labels are unique within a function
  | { s: "panic"; at: { file: string; line: number; col: number }; msg: string } // a runtime panic naming a source location
  | { s: "unused"; x: Expr }; // `(void)x;`: a parameter the function does not use (a closure's environment)

export interface Func {
  /** What the function is, so the printer can name it. */
  name: Callee;
  params: Local[];
  ret: IrType | null; // null: void
  body: Stmt[];
  /** The function never returns (`_Noreturn`: a panic's cold path). */
  noreturn?: boolean;
}

/** The body of a function, closure, test or the global initialiser, by the C name of what it defines. */
export interface IrBody { name: string; body: Stmt[] }

/** The IR of a program so far: the derived functions, and the statement trees of the bodies. */
export interface IrProgram {
  funcs: Func[];
  bodies: IrBody[];
  /** Each async body's frame constructor and poll function (emit/async.ts), in the order they are written. */
  frames?: Func[];
  /** The collection functions the program uses (src/lower/coll-fns.ts), in the order they are written. */
  collFns?: Func[];
  /** The helper functions the program uses (src/lower/helper-fns.ts), in the order they are written. */
  helperFns?: Func[];
  /** The C `main` (src/lower/main-fn.ts). */
  main?: Func;
  /** The monomorphization table (src/lower/mono.ts): every function instance and what each call site calls. */
  instances?: MonoTable;
}

// ---------- building ----------

/** Makes locals with ids unique within one function. */
export class Locals {
  private n = 0;
  make(name: string, type: IrType): Local { return { id: ++this.n, name, type }; }
}

export const local = (l: Local): Expr => ({ e: "local", l });
export const int = (v: number, t: Type = { k: "int", name: "i64" }): Expr => ({ e: "int", v, t });
export const bool = (v: boolean): Expr => ({ e: "bool", v });
export const cstr = (v: string): Expr => ({ e: "cstr", v });
export const rt = (name: string, ...args: Expr[]): Expr => ({ e: "call", f: { c: "rt", name }, args });
export const call = (f: Callee, ...args: Expr[]): Expr => ({ e: "call", f, args });
export const bin = (op: BinOp, l: Expr, r: Expr): Expr => ({ e: "bin", op, l, r });
export const not = (x: Expr): Expr => ({ e: "not", x });
export const ret = (v: Expr | null = null): Stmt => ({ s: "return", v });
export const exprStmt = (x: Expr): Stmt => ({ s: "expr", x });
export const assign = (to: Expr, v: Expr): Stmt => ({ s: "assign", to, v });

/** a && b && ..., or true for none. */
export function all(xs: Expr[]): Expr {
  if (!xs.length) return bool(true);
  return xs.reduce((a, b) => bin("&&", a, b));
}

/** Every callee a function calls, in order (monomorphization and type definition walk this). */
export function callees(f: Func): Callee[] {
  const out: Callee[] = [];
  const ex = (x: Expr): void => {
    switch (x.e) {
      case "call": out.push(x.f); if (x.f.c === "value" || x.f.c === "ptr") ex(x.f.fn); x.args.forEach(ex); return;
      case "fnref": out.push(x.f); return;
      case "fnValue": out.push(x.fn); ex(x.env); return;
      case "field": case "elem": case "tag": case "payload": case "box": case "has": case "val": case "len": ex(x.of); return;
      case "at": ex(x.of); ex(x.i); return;
      case "deref": case "arrow": case "sizeofDeref": case "view": ex(x.p); return;
      case "dot": ex(x.of); return;
      case "bin": ex(x.l); ex(x.r); return;
      case "seq": ex(x.first); ex(x.then); return;
      case "not": case "unop": case "bitnot": case "cast": case "paren": case "unlikely": ex(x.x); return;
      case "cond": ex(x.c); ex(x.a); ex(x.b); return;
      case "variant": x.fields.forEach(ex); if (x.box) ex(x.box); return;
      case "some": ex(x.x); return;
      case "optional": ex(x.has); ex(x.v); return;
      case "strLen": case "strPtr": ex(x.of); return;
      case "strOf": ex(x.ptr); ex(x.len); return;
      case "struct": x.fields.forEach((f) => ex(f.v)); return;
      case "tuple": case "array": x.elems.forEach(ex); return;
      case "index": ex(x.of); ex(x.i); return;
      case "envClone": ex(x.fnv); return;
      case "addr": ex(x.of); return;
      case "inc": ex(x.x); return;
      case "set": ex(x.to); ex(x.v); return;
      case "env": ex(x.of); return;
      case "local": case "var": case "int": case "bool": case "cstr": case "null": case "c": case "fnNames": case "sym": case "fail": case "zero": case "default": case "none": case "lit": case "offsetof": case "sizeof": case "fmt": return;
    }
  };
  const st = (s: Stmt): void => {
    switch (s.s) {
      case "decl": if (s.init) ex(s.init); return;
      case "assign": ex(s.to); ex(s.v); return;
      case "expr": case "discard": case "unused": ex(s.x); return;
      case "if": ex(s.cond); s.then.forEach(st); s.else_.forEach(st); return;
      case "while": ex(s.cond); s.body.forEach(st); return;
      case "for": ex(s.from); ex(s.cond); ex(s.next); s.body.forEach(st); return;
      case "cfor": st(s.init); if (s.cond) ex(s.cond); ex(s.step); s.body.forEach(st); return;
      case "switch": ex(s.on); s.cases.forEach((c) => c.body.forEach(st)); s.default_.forEach(st); return;
      case "return": case "done": if (s.v) ex(s.v); return;
      case "loop": s.body.forEach(st); return;
      case "block": case "row": s.body.forEach(st); return;
      case "break": case "continue": case "label": case "goto": case "panic": case "empty": case "suspend": case "resume": case "dispatch": return;
    }
  };
  f.body.forEach(st);
  return out;
}
