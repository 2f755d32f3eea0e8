// Warnings that a well-typed Colang program may legitimately trigger in the C
// it is compiled to. They describe the user's code, not the emitter's: `a <= a`,
// `u >= 0` on an unsigned type, `(n & 2) == 1`, `x = x` and a function that
// always calls itself are valid Colang (the checker may warn about some of them
// itself), so the generated C switches these warnings off by name. Every other
// warning stays on, and under -Werror (the test suites, the fuzzer's C check) it
// is an emitter bug. A pragma naming a warning the compiler does not know is
// itself a warning, so each is guarded: clang by __has_warning, gcc by version.

const CLANG_IGNORED = ["-Wtautological-compare", "-Wtype-limits", "-Wself-assign", "-Winfinite-recursion"];
const GCC_IGNORED: [string, number][] = [
  ["-Wtautological-compare", 0],
  ["-Wtype-limits", 0],
  ["-Wbool-compare", 0],
  ["-Winfinite-recursion", 12],
];

export const WARNING_PRAGMAS = [
  "#if defined(__clang__)",
  ...CLANG_IGNORED.flatMap((w) => [`#if __has_warning("${w}")`, `#pragma clang diagnostic ignored "${w}"`, "#endif"]),
  "#elif defined(__GNUC__)",
  ...GCC_IGNORED.flatMap(([w, v]) => (v ? [`#if __GNUC__ >= ${v}`, `#pragma GCC diagnostic ignored "${w}"`, "#endif"] : [`#pragma GCC diagnostic ignored "${w}"`])),
  "#endif",
].join("\n");
