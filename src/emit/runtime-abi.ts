// The runtime's ABI as generated code sees it: every symbol of cruntime/include
// that the emitter may write, with its C type. A unit test compiles this table
// against the headers (each function assigned to a pointer of exactly this type),
// and checks that the emitter writes no runtime symbol missing from it.

import { INT_NAMES, type IntName } from "../check/types.js";

export type AbiEntry =
  | { kind: "fn"; name: string; ret: string; params: string[] } // params: C types; "..." for variadic
  | { kind: "var"; name: string; type: string }
  | { kind: "type"; name: string }
  | { kind: "macro"; name: string };

const LOC = ["const char *", "int", "int"]; // file, line, col of the Colang source
// The failure stub of a checked operation, a generated function that panics with its site's location (emit/fail-stubs.ts).
const FAIL = "co_fail *";
const CINT: Record<IntName, string> = {
  i8: "int8_t", i16: "int16_t", i32: "int32_t", i64: "int64_t", u8: "uint8_t", u16: "uint16_t", u32: "uint32_t", u64: "uint64_t",
};

const fn = (name: string, ret: string, ...params: string[]): AbiEntry => ({ kind: "fn", name, ret, params });

function arithmetic(): AbiEntry[] {
  const out: AbiEntry[] = [];
  for (const n of INT_NAMES) {
    const c = CINT[n];
    const signed = n[0] === "i";
    for (const op of ["add", "sub", "mul", "shl", "shr"]) out.push(fn(`co_${op}_${n}`, c, c, c, FAIL));
    // Signed division fails two ways (by zero, MIN / -1): a stub for each.
    for (const op of ["div", "rem"]) out.push(fn(`co_${op}_${n}`, c, c, c, ...(signed ? [FAIL, FAIL] : [FAIL])));
    if (signed) out.push(fn(`co_neg_${n}`, c, c, FAIL));
    for (const op of ["wadd", "wsub", "wmul", "sadd", "ssub", "smul"]) out.push(fn(`co_${op}_${n}`, c, c, c));
    for (const op of ["cadd", "csub", "cmul", "cdiv", "crem"]) out.push(fn(`co_${op}_${n}`, "bool", c, c, `${c} *`));
    for (const from of INT_NAMES) out.push(fn(`co_conv_${from}_${n}`, c, CINT[from], from[0] === "i" ? "co_fail_i *" : "co_fail_u *"));
    out.push(fn(`co_conv_f64_${n}`, c, "double", FAIL), fn(`co_conv_f32_${n}`, c, "float", FAIL));
  }
  out.push(...["co_fail", "co_fail_i", "co_fail_u"].map((name): AbiEntry => ({ kind: "type", name })));
  return out;
}

function json(): AbiEntry[] {
  const D = "co_json_dec *";
  const out: AbiEntry[] = [
    fn("co_json_put_str", "void", "co_sb *", "co_str"),
    fn("co_json_put_f64", "void", "co_sb *", "double"),
    fn("co_json_put_f32", "void", "co_sb *", "float"),
    fn("co_json_put_key_i64", "void", "co_sb *", "int64_t"),
    fn("co_json_put_key_u64", "void", "co_sb *", "uint64_t"),
    fn("co_json_init", "void", D, "co_str"),
    fn("co_json_end", "bool", D),
    fn("co_json_failed", "bool", "const co_json_dec *"),
    fn("co_json_null", "bool", D),
    fn("co_json_peek_str", "bool", D),
    fn("co_json_peek_kind", "int", D),
    fn("co_json_variant_name", "bool", D),
    fn("co_json_enum_begin", "bool", D, "const char *"),
    fn("co_json_get_f64", "bool", D, "double *"),
    fn("co_json_get_f32", "bool", D, "float *"),
    fn("co_json_get_bool", "bool", D, "bool *"),
    fn("co_json_get_str", "bool", D, "co_str *"),
    fn("co_json_get_unit", "bool", D, "uint8_t *"),
    fn("co_json_obj_begin", "bool", D),
    fn("co_json_obj_next", "bool", D, "int64_t"),
    fn("co_json_key", "co_str", "const co_json_dec *"),
    fn("co_json_key_is", "bool", "const co_json_dec *", "const char *"),
    fn("co_json_key_bool", "bool", "co_json_dec *", "co_str", "bool *"),
    fn("co_json_arr_begin", "bool", D),
    fn("co_json_arr_next", "bool", D, "int64_t"),
    fn("co_json_skip", "bool", D),
    fn("co_json_missing", "bool", D, "const char *"),
    fn("co_json_duplicate", "bool", D, "const char *"),
    fn("co_json_arity", "bool", D, "int64_t"),
    fn("co_json_unknown_variant", "bool", D, "const char *"),
    fn("co_json_variant_count", "bool", D),
    fn("co_json_payload_needed", "bool", D, "const char *"),
    fn("co_json_at_field", "bool", D, "const char *"),
    fn("co_json_at_key", "bool", D, "co_str"),
    fn("co_json_at_index", "bool", D, "int64_t"),
    fn("co_json_err_message", "co_str", "const co_json_dec *"),
    fn("co_json_err_path", "co_str", "const co_json_dec *"),
    fn("co_json_err_offset", "int64_t", "const co_json_dec *"),
    fn("co_json_err_line", "int64_t", "const co_json_dec *"),
    fn("co_json_err_column", "int64_t", "const co_json_dec *"),
  ];
  for (const n of INT_NAMES) out.push(fn(`co_json_get_${n}`, "bool", D, `${CINT[n]} *`), fn(`co_json_key_${n}`, "bool", D, "co_str", `${CINT[n]} *`));
  return out;
}

/** The C library's math functions the `math` builtins call on floats (<math.h>, which every program includes): each
 *  in its double form and its float form (`sqrtf`); `abs`, `min`, `max` are `fabs`, `fmin`, `fmax`. */
export const MATH_C: Readonly<Record<string, string>> = {
  sqrt: "sqrt", cbrt: "cbrt", sin: "sin", cos: "cos", tan: "tan", asin: "asin", acos: "acos", atan: "atan", atan2: "atan2",
  exp: "exp", log: "log", log2: "log2", log10: "log10", pow: "pow", floor: "floor", ceil: "ceil", round: "round", trunc: "trunc",
  hypot: "hypot", abs: "fabs", min: "fmin", max: "fmax",
};
const TWO_ARGS = new Set(["atan2", "pow", "hypot", "fmin", "fmax", "fmod"]);

function math(): AbiEntry[] {
  // fmod: a float's `%` (expr-ir.ts).
  return [...Object.values(MATH_C), "fmod"].flatMap((c) => [
    fn(c, "double", ...(TWO_ARGS.has(c) ? ["double", "double"] : ["double"])),
    fn(`${c}f`, "float", ...(TWO_ARGS.has(c) ? ["float", "float"] : ["float"])),
  ]);
}

export const RUNTIME_ABI: readonly AbiEntry[] = [
  // types
  ...["co_str", "co_sb", "co_region", "co_fut", "co_task"].map((name): AbiEntry => ({ kind: "type", name })),
  // regions (co_region.h)
  { kind: "var", name: "co_current", type: "co_region *" },
  { kind: "var", name: "co_global", type: "co_region *" },
  fn("co_region_new", "co_region *", "void"),
  fn("co_region_free", "void", "co_region *"),
  fn("co_region_copy_needed", "bool", "const co_region *", "const co_region *"),
  fn("co_region_keeps", "bool", "const co_region *", "const co_region *"),
  fn("co_str_keeps", "bool", "const co_region *", "co_str"),
  // Loop-carried locals (emit/carry.ts): the carry region (a promotion into it copies everything), its size, its limit.
  fn("co_region_new_carry", "co_region *", "void"),
  fn("co_region_held", "int64_t", "const co_region *"),
  fn("co_carry_limit", "int64_t", "const co_region *"),
  // A shared collection's contents moved into the carry region (mem16): the region they come from, or NULL (co_global.h).
  fn("co_carry_move_from", "co_region *", "co_region *", "co_region *"),
  { kind: "macro", name: "CO_CARRY_MIN" },
  fn("co_region_alloc", "void *", "co_region *", "size_t", "size_t"),
  fn("co_alloc", "void *", "size_t"),
  // the C library (string.h, which every generated file includes): zeroing a new async frame
  fn("memset", "void *", "void *", "int", "size_t"),
  // a map's or set's copy keeping its entry layout (lower/derive/keep.ts): its arrays as the map allocates them (co_map.h)
  fn("memcpy", "void *", "void *", "const void *", "size_t"),
  fn("co_region_buf_alloc", "void *", "co_region *", "size_t", "size_t"),
  // global memory (co_global.h)
  { kind: "type", name: "co_drop_step" },
  { kind: "var", name: "co_promote_off", type: "bool" },
  { kind: "var", name: "co_borrow_copy_off", type: "bool" },
  fn("co_gfree", "void", "const void *"),
  fn("co_gfree_str", "void", "co_str"),
  fn("co_gstr_restore", "co_str", "co_str", "co_str"),
  fn("co_gstr_append", "co_str", "co_str", "co_str"),
  fn("co_gstr_add", "co_str", "co_str", "co_str"),
  fn("co_drop_defer", "void", "co_drop_step", "void *", "int64_t"),
  fn("co_env_drop", "void", "void *"),
  fn("co_env_init", "void", "void *"),
  fn("co_env_hold", "void *", "void *"),
  fn("co_env_release", "void", "void *"),
  fn("co_drop_safepoint", "void"),
  fn("co_sp_hold", "void"),
  fn("co_sp_release", "void"),
  // strings and builders (co_str.h)
  fn("co_str_eq", "bool", "co_str", "co_str"),
  fn("co_str_cmp", "int", "co_str", "co_str"),
  fn("co_str_concat", "co_str", "co_str", "co_str"),
  fn("co_str_append_in", "co_str", "co_region *", "co_str", "co_str"),
  fn("co_str_copy", "co_str", "co_str"),
  fn("co_str_find", "int64_t", "co_str", "co_str"),
  fn("co_str_contains", "bool", "co_str", "co_str"),
  fn("co_str_starts_with", "bool", "co_str", "co_str"),
  fn("co_str_ends_with", "bool", "co_str", "co_str"),
  fn("co_str_trim", "co_str", "co_str"),
  fn("co_str_trim_start", "co_str", "co_str"),
  fn("co_str_trim_end", "co_str", "co_str"),
  fn("co_str_to_upper", "co_str", "co_str"),
  fn("co_str_to_lower", "co_str", "co_str"),
  fn("co_str_compare", "int64_t", "co_str", "co_str"),
  fn("co_str_char_count", "int64_t", "co_str"),
  fn("co_str_replace", "co_str", "co_str", "co_str", "co_str"),
  fn("co_utf8_seq", "int64_t", "const char *", "int64_t"),
  fn("co_str_slice", "co_str", "co_str", "int64_t", "int64_t", ...LOC),
  fn("co_str_repeat", "co_str", "co_str", "int64_t", ...LOC),
  fn("co_str_parse_int", "bool", "co_str", "int64_t *"),
  fn("co_str_parse_float", "bool", "co_str", "double *"),
  fn("co_str_from_i64", "co_str", "int64_t"),
  fn("co_str_from_u64", "co_str", "uint64_t"),
  fn("co_str_from_f64", "co_str", "double"),
  fn("co_str_from_f32", "co_str", "float"),
  fn("co_str_from_bool", "co_str", "bool"),
  fn("co_sb_new", "co_sb *", "void"),
  fn("co_sb_init", "void", "co_sb *"),
  fn("co_sb_str", "void", "co_sb *", "co_str"),
  fn("co_sb_cstr", "void", "co_sb *", "const char *"),
  fn("co_sb_quoted", "void", "co_sb *", "co_str"),
  fn("co_sb_i64", "void", "co_sb *", "int64_t"),
  fn("co_sb_u64", "void", "co_sb *", "uint64_t"),
  fn("co_sb_f64", "void", "co_sb *", "double"),
  fn("co_sb_f32", "void", "co_sb *", "float"),
  fn("co_sb_bool", "void", "co_sb *", "bool"),
  fn("co_sb_finish", "co_str", "co_sb *"),
  fn("co_sb_snapshot", "co_str", "const co_sb *"),
  // formatting (co_fmt.h)
  { kind: "type", name: "co_fmt" },
  fn("co_sb_fmt_i64", "void", "co_sb *", "int64_t", "const co_fmt *"),
  fn("co_sb_fmt_u64", "void", "co_sb *", "uint64_t", "const co_fmt *"),
  fn("co_sb_fmt_f64", "void", "co_sb *", "double", "const co_fmt *"),
  fn("co_sb_fmt_f32", "void", "co_sb *", "float", "const co_fmt *"),
  fn("co_sb_fmt_str", "void", "co_sb *", "co_str", "const co_fmt *"),
  fn("co_sb_fmt_pad", "void", "co_sb *", "int64_t", "const co_fmt *"),
  fn("co_str_pad_start", "co_str", "co_str", "int64_t", "co_str", ...LOC),
  fn("co_str_pad_end", "co_str", "co_str", "int64_t", "co_str", ...LOC),
  fn("co_str_to_fixed", "co_str", "double", "int64_t", ...LOC),
  fn("co_str_radix_i64", "co_str", "int64_t", "int64_t", ...LOC),
  fn("co_str_radix_u64", "co_str", "uint64_t", "int64_t", ...LOC),
  // output, panics and asserts (co_io.h, co_panic.h)
  fn("co_print", "void", "co_str"),
  fn("co_println", "void", "co_str"),
  fn("co_eprint", "void", "co_str"),
  fn("co_eprintln", "void", "co_str"),
  fn("co_panic_at", "void", ...LOC, "const char *", "..."),
  fn("co_panic_str_at", "void", "co_str", ...LOC),
  fn("co_assert_fail", "void", ...LOC),
  fn("co_assert_fail_msg", "void", "co_str", ...LOC),
  // hashing (co_hash.h)
  { kind: "macro", name: "CO_HASH_INIT" },
  fn("co_hash_combine", "uint64_t", "uint64_t", "uint64_t"),
  fn("co_hash_i64", "uint64_t", "int64_t"),
  fn("co_hash_u64", "uint64_t", "uint64_t"),
  fn("co_hash_bool", "uint64_t", "bool"),
  fn("co_hash_str", "uint64_t", "co_str"),
  // collections: macro templates (co_vec.h, co_map.h)
  ...["CO_VEC_DEFINE", "CO_VEC_SORT_DEFINE", "CO_MAP_DEFINE", "CO_SET_DEFINE", "CO_LESS", "CO_LESS_F64", "CO_LESS_STR"]
    .map((name): AbiEntry => ({ kind: "macro", name })),
  // std/json's codecs (co_json.h)
  { kind: "type", name: "co_json_dec" },
  ...json(),
  // integer arithmetic and conversions with overflow/range panics (co_arith.h)
  ...arithmetic(),
  ...math(),
  // tasks and the program's entry (co_task.h, co_rt.h)
  fn("co_task_new", "co_task *", "void"),
  fn("co_task_region", "co_region *", "co_task *"),
  fn("co_task_start", "void", "co_task *", "co_fut *"),
  // task handles (co_task.h)
  { kind: "type", name: "co_handle" },
  { kind: "type", name: "co_task_wait_fut" },
  fn("co_task_handle", "co_handle", "co_task *"),
  fn("co_task_own", "co_handle", "co_handle"),
  fn("co_task_join", "bool", "co_handle", ...LOC),
  fn("co_task_join_try", "int", "co_handle"),
  fn("co_task_join_any", "int64_t", "const co_handle *", "int64_t", ...LOC),
  fn("co_caller_at", "void", ...LOC),
  // elements a `mut self` method changes in place (co_pin.h)
  { kind: "type", name: "co_pin" },
  fn("co_pin_elem", "void", "const void *", "const char *", ...LOC),
  // the pin checks of a global collection's clear (emit/drops.ts)
  { kind: "macro", name: "CO__VEC_PIN" },
  { kind: "macro", name: "CO__MAP_PIN" },
  fn("co_unpin", "void"),
  fn("co_panic_std_dir", "void", "const char *"),
  fn("co_task_join_check", "void", "const co_handle *", "int64_t", "bool", ...LOC),
  fn("co_task_result", "void *", "co_handle"),
  fn("co_task_release", "void", "co_handle"),
  fn("co_task_cancel", "void", "co_handle"),
  fn("co_task_done", "bool", "co_handle"),
  fn("co_task_wait_new", "co_task_wait_fut *", "co_handle", "int64_t"),
  fn("co_task_wait_poll", "bool", "void *"),
  fn("co_rt_init", "void", "int", "char **"),
  fn("co_stack_names", "void", "const co_fn_name *", "size_t"),
  { kind: "type", name: "co_fn_name" },
  fn("co_rt_finish", "int", "int"),
  fn("co_rt_run_sync_main", "int", "void (*)(void)"),
  fn("co_rt_run_async_main", "int", "co_fut *(*)(void)"),
  fn("co_test_run", "bool", "const char *", "void (*)(void)"),
  fn("co_test_run_async", "bool", "const char *", "co_fut *(*)(void)"),
  fn("co_test_summary", "int", "void"),
];

/** Prefixes of names the emitter makes itself (not runtime symbols): std bindings are checked against the
 *  headers separately, `co__` names are the emitted program's own (`co__init_globals`, `co__make_main`, `co__empty`),
 *  CO_PINS is the macro a program with a pinning call defines for the headers (emit/pins.ts), and
 *  CO_HTTP_NO_HEADERS the one a program that never reads a Request's headers defines (emit/http-headers.ts). */
export const GENERATED_PREFIXES: readonly string[] = ["co_std_", "co__", "CO_PINS", "CO_HTTP_NO_HEADERS"];
