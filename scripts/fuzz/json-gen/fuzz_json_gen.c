/* fuzz_json_gen.c — libFuzzer target for the JSON codecs coc generates:
 * scripts/fuzz/json-gen/types.co's C (coc dump --stage c, included below
 * with its main renamed) is linked in, and each input goes to its fuzzOne:
 * json.decode<Item> of the bytes, then json.encode of what decoded must
 * decode again and encode to the same text. Item covers an enum with
 * payloads and a recursive one, optionals, Map keys (string, int, i8),
 * nesting, the i8/i16/i32/u64 ranges, f32 and f64. Properties: no crash or
 * sanitizer report, and no panic (the round trip's checks panic; so would a
 * decoder that panicked instead of returning an Err): a panic ends the
 * process with its message, which libFuzzer reports with the input.
 *
 *   scripts/fuzz/run.sh json-gen [SECONDS]      (clang, ASan + UBSan)
 * CO_GEN_C is the generated file's path (run.sh passes it). */
#define main co_fuzz_program_main
#include CO_GEN_C
#undef main

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    co_rt_init(*argc, *argv);
    co_stack_names(co__fn_names, (int)(sizeof co__fn_names / sizeof co__fn_names[0]));
    co__init_globals();
    return 0;
}

/* Each input in a region of its own, freed after it (what the decoder and
 * the encoder allocated goes with it). The input is copied into a heap
 * block of exactly its size, so a read past its end is caught by ASan. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    co_region *saved = co_current, *r = co_region_new();
    co_current = r;
    char *copy = malloc(size ? size : 1);
    if (!copy) co_oom();
    if (size) memcpy(copy, data, size);
    (void)f_fuzzOne((co_str){ copy, (int64_t)size });
    free(copy);
    co_current = saved;
    co_region_free(r);
    return 0;
}
