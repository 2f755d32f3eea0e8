// The catalogue of every diagnostic the compiler can produce. Each entry has a
// stable code; a message greps to its call sites through the entry's name.
// Code ranges: E0001 unsupported; E0002–E0099 syntax and lexical; E01xx names,
// modules and declarations; E02xx types and expressions; E03xx memory; E04xx
// async; W0xxx warnings.

import type { Message } from "./diagnostics.js";
import type { Span } from "./syntax/ast.js";

const err = (code: string, message: string, fix?: string): Message => ({ code, severity: "error", message, fix });
const warn = (code: string, message: string, fix?: string): Message => ({ code, severity: "warning", message, fix });

/** E0303's fix for a loop variable without a global path: loop over the global's indices or keys instead. */
const loopOverGlobal = (g: string): string =>
  `loop over \`${g}\`'s indices (\`for i in 0..${g}.len()\`) or keys (\`for k in ${g}.keys()\`) and change \`${g}[i]\` / \`${g}[k]\`: a \`.clone()\` would lose the change`;

export const M = {
  // ---- E0001: parsed, but later work gives it meaning ----
  unsupported: (what: string) => err("E0001", `not supported yet: ${what}`),

  // ---- E0002–E0099: syntax ----
  syntax: (message: string, fix?: string) => err("E0002", message, fix),
  unclosed: (what: string, openedAt: string, closer: string) =>
    err("E0003", `expected \`${closer}\` to close the ${what} opened at ${openedAt}`, `add \`${closer}\``),
  unterminatedString: () => err("E0004", "unterminated string literal", "close the string with `\"`"),
  unterminatedComment: () => err("E0005", "unterminated block comment", "close the comment with `*/`"),
  badNumber: (text: string, why: string) => err("E0006", `invalid number literal \`${text}\`: ${why}`),
  badEscape: (esc: string) => err("E0007", `unknown escape sequence \`${esc}\``, "escapes are \\n \\t \\r \\0 \\\\ \\\" \\{ \\} \\u{XXXX}"),
  nestingTooDeep: (limit: number) => err("E0008", `nesting is too deep (more than ${limit} levels)`, "split the expression or block into smaller functions"),
  invalidUtf8: () => err("E0009", "source file is not valid UTF-8"),
  nulByte: () => err("E0010", "source contains a NUL byte"),
  keywordAsName: (kw: string) => err("E0011", `\`${kw}\` is a keyword and cannot be used as a name`, `rename it, e.g. \`${kw}_\``),
  fileTooLarge: (bytes: number) => err("E0012", `source file is too large (${bytes} bytes)`),
  // E0030–E0031: braces and format specs in string literals (docs/language.md, "Formatting")
  literalBrace: (message: string, fix: string) => err("E0037", message, fix),
  badFormatSpec: (message: string, fix?: string) => err("E0038", message, fix),

  // ---- E0030–E0049: spellings from other languages; the fix gives Colang's ----
  incDec: (op: string, target: string) =>
    err("E0030", `Colang has no \`${op}\` operator`, `write \`${target} ${op[0]}= 1\``),
  strictEq: (op: string) =>
    err("E0031", `Colang has no \`${op}\` operator: \`${op.slice(0, 2)}\` never converts its operands, so it is already strict`, `write \`${op.slice(0, 2)}\``),
  templateString: (fix: string) =>
    err("E0032", "Colang has no backtick template strings: a string in double quotes interpolates `{expr}`", `write ${fix}`),
  foreignKeyword: (word: string, colang: string, fix: string) =>
    err("E0033", `\`${word}\` is not a Colang keyword: Colang writes \`${colang}\``, fix),
  typeAlias: (name: string, aliased: string | null) =>
    err("E0033", "`type` is not a Colang keyword, and Colang has no type aliases", aliased
      ? `remove the declaration and write the type itself where \`${name}\` is used, e.g. \`fn f(x: ${aliased})\``
      : `remove the declaration and write the type itself where \`${name}\` is used; for a new type with fields write \`struct ${name} { field: type }\``),
  letMut: (name: string) =>
    err("E0034", "Colang has no `let mut`: a `let` binding never changes, a `var` binding can be reassigned", `write \`var ${name}\``),
  arrow: (what: string, fix: string) => err("E0035", `Colang writes ${what} with \`${what.includes("arm") ? "=>" : ":"}\`, not \`->\``, fix),
  forVar: (kw: string, name: string, iter: string) => kw === "let" || kw === "const"
    ? err("E0036", `Colang has no \`for ${kw}\`: the loop variable is already a new binding`, `write \`for ${name} in ${iter}\``)
    : err("E0036", `Colang has no \`for ${kw}\`: the loop variable is a copy of the element, so changing it would not change \`${iter}\``,
      `to change the elements in place, loop over the indices: \`for i in 0..${iter}.len() { ... }\`, writing \`${iter}[i]\` where the body wrote \`${name}\``),
  // E0039–E0045: statement shapes from other languages (syntax/habits-statements.ts)
  ternary: (fix: string) =>
    err("E0039", "Colang has no `? :` conditional operator: `if` is an expression, and `?` after a value passes an error to the caller", fix),
  shortDecl: (fix: string) =>
    err("E0040", "Colang has no `:=`: a new binding is declared with `let` (never reassigned) or `var`", fix),
  cStyleFor: (fix: string) =>
    err("E0041", "Colang has no C-style `for (init; cond; step)` loop: `for` iterates a range or a collection", fix),
  exceptions: (word: string, fix: string) =>
    err("E0042", `Colang has no exceptions (\`${word}\`): errors are values of type \`Result<T, E>\``, fix),
  arrowFn: (fix: string) =>
    err("E0043", "Colang has no `=>` arrow functions: a closure is written `|params| body`", fix),
  pathSep: (fix: string) =>
    err("E0044", "Colang has no `::` paths: a type's static methods, an enum's variants and a module's members are all reached with `.`", fix),
  foreignFor: (what: string, fix: string) =>
    err("E0045", `Colang has no ${what}: \`for\` is \`for x in xs\` or \`for i in a..b\`, and \`while cond\` loops on a condition`, fix),
  runtimeType: (word: string, fix: string) =>
    err("E0046", `Colang has no \`${word}\`: every value's type is fixed when the program is compiled, so there is nothing to ask at run time`, fix),
  // E0047–E0049: type and literal spellings from other languages (syntax/habits-types.ts)
  unionType: (what: string, fix: string) =>
    err("E0047", `Colang has no union types (\`${what}\`): a value has one type`, fix),
  optionalParam: (name: string, fix: string) =>
    err("E0048", `Colang has no \`${name}?:\` optional parameters or fields: every argument is passed`, fix),
  macro: (name: string, fix: string) =>
    err("E0049", `Colang has no macros (\`${name}!\`)`, fix),
  // E0050–E0057: slips in any language (syntax/habits-slips.ts)
  assignInCondition: (kw: string, fix: string) =>
    err("E0050", `\`=\` assigns, and the condition of \`${kw}\` must compare: equality is \`==\``, fix),
  singleQuotes: (oneChar: boolean) =>
    err("E0051", `Colang has no single-quoted strings${oneChar ? " and no character type (a character is a one-character string)" : ""}: strings are written in double quotes`),
  whileLet: (fix: string) =>
    err("E0052", "Colang has no `while let`: loop with `while true` and leave with `break` when the pattern does not match", fix),
  doubleOptional: (written: string, fix: string) =>
    err("E0053", `\`${written}\` is not a type: an optional holds a value or \`none\`, and one \`?\` is all there is`, fix),
  globalWithoutValue: (name: string, fix: string) =>
    err("E0054", `global \`${name}\` needs a value: a global is created with its initial value, and there is no default`, fix),
  spawnBlock: () =>
    err("E0055", "`spawn` takes a call of an async function, not a block",
      "wrap the block in an async closure and call it: `spawn (async fn() { ... })()`; or move it into `async fn work() { ... }` and write `spawn work()`"),
  assignInClosure: (fix: string) => err("E0056", "an assignment is a statement, not a value: a closure's body without braces must be an expression", fix),
  structVariant: (variant: string, fix: string) => err("E0057", `variant \`${variant}\` is written with parentheses: named payload fields go in \`( )\`, not \`{ }\``, fix),
  // E0058–E0065: block layout, Rust's and Go's syntax (syntax/habits-layout.ts)
  allmanBrace: (kw: string, fix: string) =>
    err("E0058", `the \`{\` of a block goes on the line of its \`${kw}\`: a line break ends the ${kw === "fn" ? "function's header" : kw === "struct" || kw === "enum" || kw === "impl" || kw === "trait" ? "declaration's header" : `\`${kw}\`'s header`}`, fix),
  blockValue: (fix: string) =>
    err("E0059", "a block `{ ... }` is not a value in Colang: where a value is expected, `{` starts a map literal", fix),
  loopLabel: () =>
    err("E0060", "Colang has no loop labels: `break` and `continue` act on the innermost loop",
      "move the inner loop into a function and `return` from it; or set a flag (`var done = false`), `break` the inner loop, and test the flag after it: `if done { break }`"),
  reference: (written: string, fix: string) => err("E0061", `Colang has no references (\`${written}\`): values are passed as they are`, fix),
  traitObject: (written: string, fix: string) =>
    err("E0062", `Colang has no trait objects or \`impl Trait\` types (\`${written}\`): a trait bounds a type parameter`, fix),
  goGenerics: (fix: string) => err("E0063", "type parameters are written in `< >`, with a bound after `:`, not Go's `[T any]`", fix),
  defer: (fix: string) => err("E0064", "Colang has no `defer`", fix),
  goSlice: (fix: string) => err("E0065", "Colang has no Go slice literals `[]T{...}`: a Vec literal is `[a, b]`, its type taken from the elements", fix),
  spread: (fix: string) => err("E0065", "Colang has no spread `...`", fix),
  prefixedString: (prefix: string, fix: string) =>
    err("E0066", `Colang strings have no \`${prefix}\` prefix: every string interpolates \`{expr}\` already`, fix),
  caseArm: (word: string, fix: string) =>
    err("E0067", `a \`match\` arm has no \`${word}\`: write \`pattern => value\` (arms do not fall through)`, fix),
  leadingOperator: (op: string, fix: string) =>
    err("E0068", `a line that starts with \`${op}\` does not continue the line before it: a line break ends a statement unless the line ends with an operator (a leading \`.\` is the one exception)`, fix),
  unaryPlus: (fix: string) =>
    err("E0071", "Colang has no unary `+`: a number is positive as written, and a string is not turned into a number by an operator", fix),
  namedArgument: (name: string, fix: string) =>
    err("E0070", `Colang has no named arguments (\`${name}: ...\`): a function, and a variant with named fields, take their arguments by position`, fix),
  restPattern: (fix: string) =>
    err("E0069", "Colang patterns have no rest `..`: a variant's pattern names each field, `_` for the ones it ignores", fix),

  // ---- E01xx: names, modules, declarations ----
  unknownName: (name: string, suggestion?: string) =>
    err("E0100", `cannot find \`${name}\` in this scope`, suggestion ? `did you mean \`${suggestion}\`?` : undefined),
  foreignName: (name: string, why: string, fix: string) => err("E0100", `cannot find \`${name}\` in this scope: ${why}`, fix),
  traitAsType: (name: string, implementers: string[]) =>
    err("E0150", `\`${name}\` is a trait, not a type: Colang has no trait objects, so a collection cannot mix the types that implement it`,
      `make the function generic over one implementing type: \`fn f<T: ${name}>(v: Vec<T>)\`; or, for a mix, wrap the types in an enum (\`enum Any${name} { ${(implementers.length ? implementers : ["A", "B"]).map((t) => `${t}(${t})`).join(", ")} }\`) and \`match\` on it`),
  traitAsParam: (name: string, fix: string) =>
    err("E0150", `\`${name}\` is a trait, not a type: Colang has no trait objects; a function that takes any type implementing \`${name}\` is generic over it`,
      `write \`${fix}\` (each call then uses the type it passes)`),
  traitAsClosureParam: (name: string, param: string, implementers: string[]) =>
    err("E0150", `\`${name}\` is a trait, not a type: Colang has no trait objects, and a closure cannot be generic over the types that implement it`,
      `give \`${param}\` the type it will be called with${implementers.length ? ` (\`|${param}: ${implementers[0]}| ...\`)` : ""}, or write a named generic function: \`fn f<T: ${name}>(${param}: T) { ... }\``),
  unknownType: (name: string, suggestion?: string) =>
    err("E0101", `unknown type \`${name}\``, suggestion ? `did you mean \`${suggestion}\`?` : undefined),
  unknownTypeFix: (name: string, fix: string) => err("E0101", `unknown type \`${name}\``, fix),
  duplicateImport: (name: string, renamed: string | null) =>
    err("E0102", `import \`${name}\` is defined more than once`, renamed
      ? `two modules cannot both be \`${name}\`: give this one another name, \`${renamed}\`, and call its functions as \`${name}2.f()\``
      : "remove this import: the module is already imported"),
  duplicateDefinition: (what: string, name: string) => err("E0102", `${what} \`${name}\` is defined more than once`, "rename one of them"),
  implementedTwice: (trait: string, type: string) =>
    err("E0102", `\`${trait}\` is implemented for \`${type}\` more than once`, `merge the two \`impl ${trait} for ${type}\` blocks into one`),
  // `first`: how the existing binding was declared (a `let` must become `var` to be assigned; a parameter cannot).
  alreadyInScope: (name: string, first: "var" | "let" | "other" = "var") =>
    err("E0103", `\`${name}\` is already defined in this scope`, first === "var" ? `give the new binding another name, or assign to the existing one with \`${name} = ...\``
      : first === "let" ? `give the new binding another name, or declare the first one \`var ${name}\` and assign to it here: \`${name} = ...\``
        : "give the new binding another name"),
  moduleNotFound: (path: string, tried: string) => err("E0104", `cannot find module \`${path}\` (looked for ${tried})`),
  notExported: (name: string, mod: string) =>
    err("E0105", `\`${name}\` is not public in module \`${mod}\``, `mark its declaration \`pub\` in ${mod}`),
  unknownField: (type: string, name: string, suggestion?: string, fields?: string[]) =>
    err("E0106", `type \`${type}\` has no field \`${name}\``, suggestion ? `did you mean \`${suggestion}\`?`
      : fields?.length ? `its fields are ${fields.slice(0, 12).map((f) => `\`${f}\``).join(", ")}${fields.length > 12 ? ", ..." : ""}` : undefined),
  unknownMethod: (type: string, name: string, suggestion?: string) =>
    err("E0107", `type \`${type}\` has no method \`${name}\``, suggestion ? `did you mean \`${suggestion}\`?` : undefined),
  entriesMethod: (type: string, name: string, fix: string) =>
    err("E0107", `type \`${type}\` has no method \`${name}\``, fix),
  forEachMethod: (type: string, name: string, loop: string) =>
    err("E0107", `type \`${type}\` has no method \`${name}\`: Colang loops with \`for\``, `write \`${loop}\``),
  missingFields: (struct: string, names: string[]) =>
    err("E0108", `missing field${names.length > 1 ? "s" : ""} ${names.map((n) => `\`${n}\``).join(", ")} in \`${struct}\` literal`),
  mapShorthand: (t: string | null, name: string) =>
    err("E0133", `\`{ ${name} }\` is a struct field shorthand, but ${t ? `a \`${t}\` is expected here` : "no struct type is expected here"}`, `write the entry as \`${name}: value\` (a map entry needs a key and a value), or expect a struct type`),
  bareMapKeys: (name: string, fix: string, map: string | null) =>
    err("E0133", `\`${name}\` is not a key here: the keys of a map literal are values (quoted strings: \`"${name}": ...\`), and ${map ? `a \`${map}\` is expected here` : "no struct type is expected here"}`, fix),
  noOverload: (name: string, found: string, takes: string[]) =>
    err("E0134", `no function \`${name}\` takes a first argument of type \`${found}\``, `\`${name}\` takes ${takes.map((t) => `\`${t}\``).join(" or ")} first`),
  duplicateField: (name: string) => err("E0109", `field \`${name}\` is given more than once`),
  noMain: () => err("E0110", "the program has no `main` function", "add `fn main() { ... }` to the entry file"),
  moduleAsValue: (name: string) => err("E0112", `module \`${name}\` is not a value`, `use a member of it: \`${name}.NAME\``),
  recursiveStruct: (name: string) =>
    err("E0113", `struct \`${name}\` contains itself and would have infinite size`, "use an enum (boxed) or a collection for the recursive part"),
  expandingType: (name: string, inst: string) =>
    err("E0251", `type \`${name}\` contains \`${inst}\`, a bigger instance of itself: every instance would need a bigger one, without end`,
      `name the instance with the same type parameters (\`${name}<...>\` as declared), or store the bigger values in a separate type`),
  selfOutsideMethod: () => err("E0114", "`self` is only available inside methods"),
  selfNotDeclared: (fn: string, type: string, fix: string) =>
    err("E0114", `\`${type}.${fn}\` has no \`self\` parameter, so \`self\` is not defined in its body`, fix),
  badMain: (async: boolean, params: boolean, ret: boolean) => err("E0115", "`main` must take no parameters and return nothing",
    `declare it as \`${async ? "async " : ""}fn main() { ... }\`${[params ? "; the command-line arguments are `os.args()`" : "", ret ? "; for an exit status call `os.exit(code)`" : ""].join("")}${params || ret ? " (`import std/os`)" : ""}`),
  typeNotValue: (name: string) => err("E0116", `\`${name}\` is a type, not a value`, `build one with \`${name} { ... }\``),
  staticOnValue: (type: string, name: string) =>
    err("E0117", `\`${name}\` has no \`self\` parameter and is called on a value`, `call it as \`${type}.${name}(...)\``),
  methodOnType: (type: string, name: string) =>
    err("E0118", `method \`${name}\` needs a value of type \`${type}\``, `call it on a value: \`x.${name}(...)\``),
  usedBeforeDefinition: (name: string) =>
    err("E0120", `\`${name}\` is used before its definition`, "globals are initialised in order: move this declaration below the one it uses"),
  methodNotField: (type: string, name: string, fix?: string) =>
    err("E0121", `\`${name}\` is a method of \`${type}\`, not a field`, fix ?? `call it: \`.${name}()\``),
  methodAsValue: (type: string, name: string, closure: string, call: string | null) =>
    err("E0121", `\`${name}\` is a method of \`${type}\`, and methods are not values yet`,
      call ? `call it: \`${call}\`; to pass it as a function, wrap the call in a closure: \`${closure}\`` : `wrap the call in a closure: \`${closure}\``),
  unknownTrait: (name: string, suggestion?: string) =>
    err("E0122", `unknown trait \`${name}\``, suggestion ? `did you mean \`${suggestion}\`?` : undefined),
  implOutsideModule: (type: string) => err("E0123", `methods of \`${type}\` must be declared in the module that declares it`),
  builtinTraitImpl: (name: string, fix?: string) =>
    err("E0124", `\`${name}\` is built in and derived automatically; it cannot be implemented by hand`, fix),
  builtinOrdImpl: (fix: string | null) =>
    err("E0124", "`Ord` is built in: only numbers and strings have an order, and it cannot be implemented by hand",
      fix ?? "order the values by a key that has an order (a number or a string computed from each value): `maxBy(|x| key)`, `minBy`, or `sortBy` with a comparator"),
  notTraitMethod: (name: string, trait: string) => err("E0125", `\`${name}\` is not a method of trait \`${trait}\``),
  methodNameTaken: (type: string, name: string, first: string | null, second: string | null) =>
    err("E0102", `\`${type}\` already has a method \`${name}\`${first ? ` (from trait \`${first}\`)` : " (in `impl " + type + "`)"}: a type cannot have two methods with the same name, even from different traits`,
      second ? `rename the method in \`trait ${second}\`, in its impls and at its calls (e.g. \`${name}${second}\`)`
        : `rename this method (e.g. \`${name}2\`) and its calls, or the method of \`trait ${first}\` in the trait, its impls and its calls`),
  builtinMethodTaken: (type: string, name: string, trait: string | null) =>
    err("E0102", `\`${type}\` already has a built-in method \`${name}\`: a type cannot have two methods with the same name, and this one would replace the built-in at every call`,
      trait ? `rename the method in \`trait ${trait}\`, in its impls and at its calls (e.g. \`${name}${trait}\`)` : `rename this method and its calls (e.g. \`${name}2\`), or use the built-in \`${name}\``),
  missingTraitMethods: (trait: string, type: string, names: string[], sigs: string[]) =>
    err("E0126", `the implementation of \`${trait}\` for \`${type}\` is missing ${names.map((n) => `\`${n}\``).join(", ")}`, `add the missing method${sigs.length === 1 ? "" : "s"}: ${sigs.map((x) => `\`${x}\``).join(", ")}`),
  // `why` says why a built-in trait is missing; the fix comes from check/builtin-bounds.ts (built-in traits cannot be implemented).
  missingImpl: (trait: string, type: string, where: string, why: string | null, fix: string) =>
    err("E0127", `\`${type}\` does not implement \`${trait}\`, which \`${where}\` requires${why ? `: ${why}` : ""}`, fix),
  notHashable: (type: string) => err("E0128", `\`${type}\` cannot be a map key or set element (it has no \`Hash\`)`, "use ints, bools, strings, or structs, enums and tuples made of them"),
  unknownVariant: (enumName: string, name: string, suggestion?: string) =>
    err("E0129", `enum \`${enumName}\` has no variant \`${name}\``, suggestion ? `did you mean \`${suggestion}\`?` : undefined),
  ambiguousVariant: (name: string, enums: string[]) =>
    err("E0130", `\`${name}\` is a variant of several enums (${enums.join(", ")})`, `qualify it: \`${enums[0]}.${name}\``),
  cannotInferTypeArg: (name: string, fn: string, fix: string) =>
    err("E0131", `cannot infer type parameter \`${name}\` of \`${fn}\``, fix),
  notJson: (type: string, why: string, where: string, param: string | null) =>
    err("E0132", `\`${type}\` cannot be converted to or from JSON, which \`${where}\` requires: ${why}`,
      param ? `bound the type parameter: \`<${param}: Json>\``
        : "JSON holds numbers, bools, strings, structs, enums, optionals, tuples, Vec, Set, and Map with string or integer keys"),
  wrongTypeArgCount: (name: string, expected: number, found: number, fix?: string) =>
    err("E0119", `\`${name}\` takes ${expected} type argument${expected === 1 ? "" : "s"} but ${found} ${found === 1 ? "was" : "were"} given`, fix),

  // ---- E02xx: types and expressions ----
  mismatch: (expected: string, found: string, fix?: string) => err("E0200", `type mismatch: expected \`${expected}\`, found \`${found}\``, fix),
  /** min: the fewest it takes, when fewer than expected (`println` takes 0 or 1). */
  argCount: (name: string, expected: number, found: number, min = expected) =>
    err("E0201", `\`${name}\` takes ${min < expected ? `${min} or ${expected} arguments` : `${expected} argument${expected === 1 ? "" : "s"}`} but ${found} ${found === 1 ? "was" : "were"} given`),
  assignImmutable: (name: string, kind: string) =>
    err("E0202", `cannot assign to \`${name}\`: it is ${kind}`, kind.startsWith("a `let`") ? `declare it with \`var ${name}\` to make it reassignable` : undefined),
  missingReturn: (fn: string | null, type: string) =>
    err("E0203", `${fn === null ? "this closure" : `function \`${fn}\``} must return \`${type}\` but can reach the end of its body without returning`, "add a `return` statement at the end"),
  binaryTypes: (op: string, l: string, r: string, fix?: string) => err("E0204", `operator \`${op}\` cannot be applied to \`${l}\` and \`${r}\``, fix),
  unaryType: (op: string, t: string) => err("E0205", `operator \`${op}\` cannot be applied to \`${t}\``),
  notCallable: (t: string) => err("E0206", `\`${t}\` is not a function and cannot be called`),
  noFields: (t: string, fix?: string) => err("E0207", `type \`${t}\` has no fields`, fix),
  conditionNotBool: (t: string) => err("E0208", `condition must be a \`bool\`, found \`${t}\``, "compare explicitly, e.g. `x != 0`"),
  globalInitCycle: (g: string, gm: string, cur: string, cm: string) =>
    err("E0140", `\`${g}\` (module \`${gm}\`) is used by the initialiser of \`${cur}\` (module \`${cm}\`) before it is initialised: the two modules import each other, and \`${gm}\` is initialised second`,
      `move \`${cur}\` into \`${gm}\` below \`${g}\`, or make it a function`),
  initReadsLater: (cur: string, chain: string[], verb: "reads" | "assigns", g: string, self: boolean, where: string, fix: string) =>
    err("E0141", `\`${cur}\`'s initialiser calls ${chain.map((f) => `\`${f}\``).join(", which calls ")}, which ${verb} \`${g}\` ${self ? "while it is being initialised" : "before it is initialised"} (${where})`, fix),
  instantiationLimit: (fn: string, why: string, chain: string) =>
    err("E0250", `generic function \`${fn}\` is instantiated without end (${why}): ${chain}`,
      "a generic function must not call itself with a bigger type argument (polymorphic recursion); call it with the same type arguments, or move the growing part into a value (a `Vec` or an enum) instead of the type"),
  // E026x: the built-in helper methods (check/helpers.ts)
  sumNotNumeric: (elem: string, isString: boolean, optionalZero?: string) =>
    err("E0260", `\`sum\` adds numbers, but the elements are \`${elem}\``,
      isString ? "to concatenate strings, use `v.join(\"\")`"
        : optionalZero ? `give each element a default first: \`.map(|x| x ?? ${optionalZero}).sum()\`, or skip the \`none\`s: \`.filter(|x| x != none).map(|x| x!).sum()\``
        : "combine the elements with `fold`: `v.fold(init, |acc, x| ...)`"),
  intMethodOnFloat: (name: string, t: string) =>
    err("E0261", `\`${name}\` is a method of the integer types, not of \`${t}\``,
      "float arithmetic never panics: `a + b` gives `inf` on overflow, and `a / 0.0` gives `inf` or `NaN`"),
  literalRange: (text: string, t: string) => err("E0209", `literal \`${text}\` does not fit in \`${t}\``),
  badCast: (from: string, to: string) => err("E0210", `cannot convert \`${from}\` to \`${to}\` with \`as\``),
  breakOutside: (kw: string) => err("E0212", `\`${kw}\` outside of a loop`),
  ifWithoutElse: () => err("E0213", "`if` used as a value needs an `else` branch", "add `else { ... }`"),
  notShowable: (t: string, why?: string | null) => err("E0214", `values of type \`${t}\` cannot be printed or interpolated${why ? `: ${why}` : ""}`),
  notAPlace: () => err("E0215", "the left side of an assignment must be a variable, a field or an index"),
  noEq: (t: string, part?: string | null, field?: string | null, isEnum = false) => err("E0216", `values of type \`${t}\` cannot be compared with \`==\`${part ? `: ${part} cannot be compared` : ""}`,
    !part ? undefined : isEnum ? `\`match\` the two values and compare the payloads that can be compared, or give \`${t}\` a method such as \`fn same(self, o: ${t}): bool\` that does`
      : `compare the fields that can be compared one by one (${field ? `\`a.${field} == b.${field} and ...\`` : "`a.f == b.f and ...`"}), or give \`${t}\` a method such as \`fn same(self, o: ${t}): bool\``),
  noOrd: (t: string) => err("E0217", `values of type \`${t}\` have no order (\`<\`, \`>\`)`),
  notOptional: (op: string, t: string) => err("E0218", `\`${op}\` needs an optional value, found \`${t}\``),
  cannotInfer: (what: string, fix: string) => err("E0219", `cannot infer the type of ${what}`, fix),
  mutMethodOnImmutable: (name: string, method: string) =>
    err("E0220", `cannot call \`mut self\` method \`${method}\` on \`${name}\`, which is not mutable`, `declare it with \`var\``),
  returnValueInUnit: () => err("E0221", "this function returns nothing, but a value is returned", "remove the value, or declare a return type"),
  returnNoValue: (type: string) => err("E0222", `this function returns \`${type}\`, but \`return\` has no value`),
  unitValue: (fix?: string) => err("E0223", "this expression has no value (type `()`)", fix),
  mixedNumeric: (op: string, l: string, r: string) =>
    err("E0224", `operator \`${op}\` cannot mix \`${l}\` and \`${r}\``, `convert one side explicitly, e.g. \`x as ${r}\``),
  divisionByZeroConst: () => err("E0225", "division by a constant zero always panics"),
  mutMethodOnTemporary: (method: string) =>
    err("E0226", `\`mut self\` method \`${method}\` would change a temporary value, and the change would be lost`, "store the value in a `var` first and call the method on that variable"),

  nonExhaustive: (missing: string[]) =>
    err("E0230", `\`match\` does not cover every case: missing ${missing.map((x) => `\`${x}\``).join(", ")}`, missing.length === 1 && missing[0] === "_" ? "add a `_ =>` arm for the values no arm names" : `add ${missing.length === 1 ? "an arm" : "arms"} for ${missing.map((x) => `\`${x}\``).join(", ")}, or a \`_ =>\` arm`),
  patternType: (pattern: string, type: string) => err("E0231", `this ${pattern} pattern cannot match a value of type \`${type}\``),
  patternArity: (name: string, expected: number, found: number) =>
    err("E0232", `\`${name}\` has ${expected} field${expected === 1 ? "" : "s"} but the pattern has ${found}`),
  orBindingMissing: (name: string, variantLike: boolean, suggestion?: string) =>
    err("E0244", `\`${name}\` is bound in some alternatives of this \`|\` pattern but not in all of them`,
      suggestion ? `did you mean the variant \`${suggestion}\`?`
        : variantLike ? `if \`${name}\` is meant to be a variant, check its spelling; otherwise bind \`${name}\` in every alternative`
        : `bind \`${name}\` in every alternative, or use \`_\` for it in all of them`),
  // E0100/E0129/E0231/E0246 on pattern names that would silently bind (check/pattern-names.ts)
  foreignPatternName: (name: string, colang: string, why: string, refutable: boolean) =>
    err("E0100", `\`${name}\` is not a Colang value (${why}): in a pattern it would be ${refutable ? "a new binding that matches every value" : `a new variable named \`${name}\``}`,
      refutable ? `write the pattern \`${colang}\`` : `to test for \`${colang}\`, use \`match\` or \`if let\` with the pattern \`${colang}\`; to bind a new variable, give it a lower-case name`),
  patternUnknownVariant: (enumName: string, name: string, lower: string, suggestion?: string) =>
    err("E0129", `enum \`${enumName}\` has no variant \`${name}\` (a name in a pattern that starts with an upper-case letter is a variant, never a new binding)`,
      `${suggestion ? `did you mean \`${suggestion}\`? To` : "to"} bind the value to a new name, write it in lower case: \`${lower}\``),
  patternNotEnum: (name: string, type: string, lower: string) =>
    err("E0231", `\`${name}\` in a pattern names an enum variant (it starts with an upper-case letter), but the value is \`${type}\`, not an enum`,
      `to bind the value to a new name, write it in lower case: \`${lower}\``),
  patternConstant: (name: string, what: string) =>
    err("E0246", `\`${name}\` is ${what}: a name in a pattern binds a new variable that matches every value, it does not compare against \`${name}\``,
      `compare in a guard: \`x if x == ${name} =>\``),
  patternConstantPath: (name: string) =>
    err("E0246", `\`${name}\` is a constant: a pattern compares against literals and enum variants only`, `compare in a guard: \`x if x == ${name} =>\``),
  patternConstantRange: (range: string, guard: string) =>
    err("E0246", `the bounds of a range pattern are number literals, and \`${range}\` names a constant`, `compare in a guard: \`${guard} =>\``),
  orBindingType: (name: string, first: string, found: string) =>
    err("E0245", `\`${name}\` is \`${first}\` in the first alternative of this \`|\` pattern but \`${found}\` here`, "an or-pattern's bindings need one type: split the alternatives into separate arms"),
  someOnNonOptional: (type: string) =>
    err("E0231", `this \`Some(...)\` pattern needs an optional value, found \`${type}\``, "`Some(v)` matches the value of an optional (`T?`); match this value's own patterns instead"),
  tryOutsideResult: (fn: string) =>
    err("E0233", `\`?\` can only be used in a function that returns \`Result\` (or an optional), and \`${fn}\` does not`, "handle the error with `match`, or change the return type to `Result<T, E>`"),
  optionalChain: (fn: string, fix: string) =>
    err("E0233", `\`?.\` is not optional chaining in Colang: \`x?\` returns \`none\` from the function when \`x\` is \`none\`, and \`${fn}\` does not return an optional`, fix),
  // `?` on one kind (optional / Result) in a function returning the other: convert the operand first.
  tryKindMismatch: (fn: string, operand: "an optional" | "a `Result`", ret: string, fix: string) =>
    err("E0233", `\`?\` on ${operand} needs a function that returns ${operand === "an optional" ? "an optional" : "a `Result`"}, and \`${fn}\` returns \`${ret}\``, fix),
  tryErrorMismatch: (found: string, expected: string, operand: string) =>
    err("E0234", `\`?\` would return an error of type \`${found}\` from a function whose error type is \`${expected}\``,
      expected === "string" ? `convert the error to a string first: \`${operand}.mapErr(|e| "{e}")?\``
        : `convert the error first: \`${operand}.mapErr(|e| ...)?\` with a closure that returns a \`${expected}\``),
  selfField: (trait: string, field: string, methods: string[]) =>
    err("E0235", `a default body of \`${trait}\` cannot read \`self.${field}\`: \`self\` is any type that implements \`${trait}\`, known only by the methods \`${trait}\` declares`,
      `declare a method that gives it in \`${trait}\`, \`fn ${field}(self): ...\`, and call \`self.${field}()\`; \`${trait}\` declares ${methods.map((n) => `\`${n}\``).join(", ") || "no methods"}`),
  noMethodOnParam: (param: string, method: string) =>
    err("E0235", `type parameter \`${param}\` has no method \`${method}\``, `add a bound that provides it: \`${param}: SomeTrait\``),
  indexType: (type: string) => err("E0236", `values of type \`${type}\` cannot be indexed`),
  notIterable: (type: string) => err("E0237", `cannot iterate over \`${type}\``, "iterate over a range, a `Vec`, a `Map` or a `Set`"),
  // `type`: what the closure would receive where the checker can tell (a collection's element); otherwise a placeholder.
  closureParamType: (name: string, type: string | null) =>
    err("E0238", `cannot infer the type of closure parameter \`${name}\``, type !== null
      ? `write it: \`|${name}: ${type}| ...\`` : `write its type: \`|${name}: Type| ...\`, naming the type of the value it receives`),
  assignCaptured: (name: string) =>
    err("E0240", `cannot assign to \`${name}\` inside a closure: closures capture variables by value`, "return the new value from the closure, or keep the state in a collection (collections are shared handles)"),
  mutCallCaptured: (name: string, method: string) =>
    err("E0240", `cannot call \`mut self\` method \`${method}\` on \`${name}\` inside a closure: closures capture variables by value`, "return the new value from the closure, or keep the state in a collection (collections are shared handles)"),
  tupleIndex: (index: number, type: string) => err("E0239", `tuple \`${type}\` has no element ${index}`),
  returnsDisagree: (first: string, found: string) =>
    err("E0242", `this closure's \`return\`s disagree: an earlier one returns \`${first}\`, this one \`${found}\``, "return the same type everywhere, or declare the result: `fn(x: int): int { ... }`"),
  closureValueLost: (fix?: string) =>
    err("E0243", "this closure's block body has no `return`, so it returns nothing and this value is lost", fix ?? "write `return` before it, or use an expression body: `|x| x + 1`"),
  readBeforeAssign: (name: string, type: string, why: string) =>
    err("E0241", `\`${name}\` is read before it is assigned, and type \`${type}\` has no zero value (${why})`, why.includes("type parameter")
      // Generic code has no value of T but what it is given (tester round 10: the message said "it holds a function").
      ? `take a value as a parameter, \`init: ${type}\`, and declare \`var ${name}: ${type} = init\`; or assign \`${name} = ...\` on every path before this`
      : `assign \`${name} = ...\` on every path before this, or declare it with a value`),
  // E0270–E0271: format specs and the formatting methods (docs/language.md, "Formatting")
  specNotForType: (message: string, fix?: string) => err("E0270", message, fix),
  formatArgRange: (method: string, value: string, range: string) =>
    err("E0271", `\`${method}\` needs ${range}, but this is ${value}`),
  // E0272: an impl's method against its trait's declaration (check/trait-impls.ts)
  traitSignatureMismatch: (method: string, trait: string, type: string, diffs: string[], declared: { declared: string; at: Span }, have: string, want: string) => ({
    ...err("E0272", `method \`${method}\` in the implementation of \`${trait}\` for \`${type}\` does not match the trait's declaration: ${diffs.join("; ")}`, `write \`${want}\``),
    notes: [{ message: `trait \`${trait}\` declares \`${declared.declared}\``, span: declared.at }, { message: `this implementation has \`${have}\`` }],
  }),
  // E0273–E0275: calls through a bound (`T.zero()`) and among the impls of a generic trait (check/trait-calls.ts)
  noAssocOnParam: (param: string, name: string, fix: string) =>
    err("E0273", `type parameter \`${param}\` has no associated function \`${name}\`: no trait it is bounded by declares one`, fix),
  ambiguousAssoc: (param: string, name: string, traits: string[], fix: string) =>
    err("E0274", `\`${param}.${name}\` is ambiguous: ${traits.map((t) => `\`${t}\``).join(" and ")} both declare \`${name}\`, and \`${param}\` is bounded by both`, fix),
  ambiguousImpl: (call: string, type: string, traits: string[], fix: string) =>
    err("E0275", `\`${call}\` is ambiguous: \`${type}\` implements ${traits.map((t) => `\`${t}\``).join(" and ")}, and neither the expected type nor the arguments say which`, fix),
  // E0290: a literal http.Router pattern (check/routes.ts)
  badRoutePattern: (pattern: string, why: string, fix: string) =>
    err("E0290", `bad route pattern \`${pattern}\`: ${why}`, fix),

  // ---- E03xx: memory (MEMORY.md rule 3: a value read from global state is a borrow) ----
  borrowAfterAwait: (name: string, global: string, fix: string) =>
    err("E0301", `\`${name}\` borrows from global \`${global}\` and is used after an \`await\``, fix),
  removedAfterAwait: (name: string, global: string, fix: string) =>
    err("E0301", `\`${name}\` was removed from global \`${global}\` and is used after an \`await\`: a value removed from global state is freed at the end of the turn`, fix),
  borrowHeldAcrossAwait: (global: string) =>
    err("E0301", `a value read from global \`${global}\` is held across this \`await\` in the same expression`,
      "await first and bind the result to a local (`let r = await ...`), then build the expression; or `.clone()` the value read"),
  loopOverBorrowsAwaits: (global: string, iter: string, pattern: string) =>
    err("E0301", `this loop iterates values read from global \`${global}\` and its body awaits: the next element is read after another task may have replaced it`,
      `iterate over a copy: \`for ${pattern} in ${iter}.clone()\``),
  loopOverGlobalAwaits: (global: string, iter: string, isMap: boolean) =>
    err("E0302", `this loop iterates global \`${global}\` and its body awaits: another task may change \`${global}\` while this one waits`,
      `iterate over a copy: \`for ... in ${iter}.clone()\`` + (isMap ? `, or over a copy of the keys, \`for k in ${global}.keys().clone()\`, reading each entry (\`${global}.get(k)\`) after the await` : "")),
  mutateCopiedArg: (fn: string, param: string, global: string, why: string) =>
    err("E0303", `\`${fn}\` changes its parameter \`${param}\`, but it gets a copy of \`${global}\` here (${why}): the change would be lost`,
      `change \`${global}\` through its global path inside \`${fn}\`, or pass a \`.clone()\` and store the result back`),
  mutateCopiedValueArg: (callee: string, param: string, global: string) =>
    err("E0303", `the function value called here may be ${callee}, which changes its parameter \`${param}\`, but the call gets a copy of \`${global}\` (a call through a function value copies a borrowed argument): the change would be lost`,
      `change \`${global}\` through its global path, or pass a \`.clone()\` and store the result back`),
  // copy null: a `for` variable, where a copy would lose the change; the fix is the global path or, without one, the
  // loop rewritten over the global's indices or keys.
  mutateThroughBorrow: (name: string, global: string, viaGlobal: string | null, copy: string | null) =>
    err("E0303", `\`${name}\` borrows from global \`${global}\`: the collections inside it cannot be changed through the borrow`,
      viaGlobal ? `write through the global path: \`${viaGlobal}\`${copy ? `; or ${copy}` : ""}` : copy ?? loopOverGlobal(global)),
  mutateArgThroughBorrow: (fn: string, param: string, arg: string, global: string, viaGlobal: string | null, copy: string | null) =>
    err("E0303", `\`${fn}\` changes its parameter \`${param}\`, and \`${arg}\` borrows from global \`${global}\`: the collections inside it cannot be changed through the borrow`,
      viaGlobal ? `pass the global path: \`${viaGlobal}\`${copy ? `; or ${copy}` : ""}` : copy ?? loopOverGlobal(global)),

  // ---- E04xx: async ----
  awaitInSync: (fn: string, isFn: boolean) =>
    err("E0401", `\`await\` can only be used inside an \`async fn\`, and ${fn} is not async`, !isFn ? "move the awaiting code into an `async fn`"
      : fn === "`main`" ? "declare it `async fn main()`" : `declare it \`async fn ${fn.replace(/`/g, "")}\`; its callers then \`await\` it`),
  // `call` is the call as written (`time.sleep(10)`), so the fix keeps a module or receiver prefix.
  asyncCallNotAwaited: (name: string | null, call: string) => name === null
    ? err("E0402", "this is an async function value: calling it needs `await` (or `spawn`)", `write \`await ${call}\` inside an async function, or \`spawn ${call}\` to run it as its own task`)
    : err("E0402", `\`${name}\` is an async function: calling it needs \`await\` (or \`spawn\`)`, `write \`await ${call}\` inside an async function, or \`spawn ${call}\` to run it as its own task`),
  awaitInSyncClosure: () =>
    err("E0401", "`await` can only be used inside an async function or closure, and this closure is not async", "make it an async closure: `async |...| ...` or `async fn(...) { ... }`; its callers then `await` it"),
  awaitNotAsync: (what: string) =>
    err("E0403", `\`await\` needs a call of an async function or a task handle (\`Task<T>\`, from \`spawn\`), but ${what}`, "remove `await`: sync calls run to completion"),
  spawnNotAsync: (what: string) =>
    err("E0404", `\`spawn\` needs a call of an async function, but ${what}`, "declare the function `async fn`, or call it directly"),
  allArgs: () => err("E0405", "`all(...)` takes calls of async functions (or one `Vec<Task<T>>`) and must be awaited: `await all(f(a), g(b))`"),
  allNotTasks: (found: string) =>
    err("E0405", `\`await all(v)\` needs a \`Vec<Task<T>>\` (task handles, from \`spawn\`), but this is a \`${found}\``, "make each element a task: `xs.map(|x| spawn f(x))`; `await all(f(a), g(b))` takes async calls"),
  allOverCalls: (found: string, call: string, fixed: string) =>
    err("E0405", `\`await all(v)\` needs a \`Vec<Task<T>>\`, but this is a \`${found}\`: \`${call}\` in the closure is an async call, and calling it does not start a task`,
      `spawn it, which gives its \`Task\`: \`${fixed}\``),
  raceArgs: () => err("E0408", "`race(...)` takes calls of async functions or task handles with one result type (or one `Vec<Task<T>>`), and must be awaited: `await race(f(a), g(b))`",
    "give every racer the same result type; to wait for all of them use `await all(...)`"),
  taskMethod: (name: string, near: string | undefined) =>
    err("E0409", `a task handle has no method \`${name}\``, near ? `did you mean \`${near}\`? A \`Task<T>\` has \`cancel()\`, \`isDone()\`, \`await h.wait(ms)\` and \`await h.result()\`` : "a `Task<T>` has `cancel()`, `isDone()`, `await h.wait(ms)` and `await h.result()`; `await h` gives its result"),
  spawnTaskMethod: (call: string) =>
    err("E0404", `\`${call}\` waits for a task that already runs: it is awaited, not started as a task of its own`, `write \`await ${call}\` (to wait in the background, spawn an async function that awaits it)`),
  taskResultInAll: (h: string) =>
    err("E0405", "`h.result()` cannot be one of the calls of `await all(...)`", `pass the handle, \`await all(${h}, ...)\` (which panics if the task panicked or was cancelled), or await each: \`await ${h}.result()\``),
  asyncMutSelf: (name: string) =>
    err("E0406", `async method \`${name}\` cannot take \`mut self\`: the value it points to could move or be freed while the method is suspended (a Vec element when the Vec grows, a spawner's local)`,
      `take \`self\` and return the changed value (\`x = await x.${name}(...)\`), or make it a sync \`mut self\` method`),
  spawnInGlobal: () => err("E0407", "`spawn` cannot run in a global initialiser", "spawn the task from `main`"),

  // ---- W0xxx: warnings ----
  unreachable: () => warn("W0001", "unreachable code"),
  unusedResult: () => warn("W0002", "the value of this expression is not used"),
  workersShareNothing: (names: string[], total: number) =>
    warn("W0005", `each worker process gets its own copy of module-level state (${names.map((n) => `\`${n}\``).join(", ")}${total > names.length ? ` and ${total - names.length} more` : ""})`, "keep one worker while answers depend on in-memory state, or keep shared state outside the process (a database)"),
  leadingZero: (text: string, value: string, octal: bigint | null) =>
    warn("W0006", `\`${text}\` is the decimal number ${value}: a leading zero does not make an octal literal in Colang (there are none)`,
      `write \`${value}\`${octal === null ? "" : `; if octal was meant, write its value: \`${octal}\` or \`0x${octal.toString(16)}\``}`),
  unreachableArm: () => warn("W0003", "unreachable match arm: earlier arms already cover every value it matches"),
  unwrapNarrowed: (name: string) =>
    warn("W0004", `\`${name}\` is already the present value (an earlier \`none\` arm took the none case), so this \`!\` does nothing`, `remove the \`!\`: \`${name}\``),
} as const;

export type MessageKey = keyof typeof M;
