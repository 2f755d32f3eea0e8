/* stack.c — a stack overflow (deep recursion in the program, or in generated
 * code such as printing a long recursive enum list) is a Colang panic, not a
 * bare SIGSEGV: a handler on an alternate signal stack recognises a fault just
 * past the main thread's stack, flushes stdout, prints a panic line naming the
 * Colang function that overflowed and exits 101. Any other SIGSEGV gets the
 * default action, as before. Tasks run on the main thread's stack (their
 * frames are heap objects), so this covers them.
 *
 * Naming the function: the emitter gives co_stack_names() a table of the C
 * names of the program's functions and their Colang names. The handler maps
 * the faulting PC to a C symbol through the executable's own ELF symbol table
 * (/proc/self/exe mapped read-only: open, fstat, mmap and close are plain
 * system calls, no malloc, no stdio, no locks), drops a suffix the C compiler
 * adds to a clone (`f.isra.0`, `f.part.0`, `f.cold`) and looks the name up.
 * When the PC is in the runtime or libc (an allocation made by the recursive
 * function), the words just above the stack pointer are read as candidate
 * return addresses and the nearest one inside a Colang function names it.
 * A stripped binary, or one the table does not cover, gets the plain line. */
#define _GNU_SOURCE
#include "colang.h"
#include <elf.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

static uintptr_t co__stack_top = 0;      /* an address near the top of the main stack */
static uintptr_t co__stack_window = 0;   /* how far below it a fault still counts as overflow */
static uintptr_t co__load_bias = 0;      /* the executable's load address (PIE) */
static uintptr_t co__page = 4096;
static const co_fn_name *co__names = NULL;
static size_t co__nnames = 0;

void co_stack_names(const co_fn_name *names, size_t n) { co__names = names; co__nnames = n; }

/* Under an address-space limit (`ulimit -v`) the out-of-memory panic came
 * exactly when mapping the executable (and loading libgcc's unwinder for
 * backtrace) failed too, and lost its ` in `hog`` (tester round 9). With a
 * limit, the unwinder is loaded at start, and address space for the mapping
 * is reserved (PROT_NONE, nothing touched) and given back just before it. */
static void *co__exe_reserve = NULL;
static size_t co__exe_reserve_len = 0;

static size_t co__slen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

/* The Colang name of C symbol sym (up to its first '.'), or NULL. */
static const char *co__colang_name(const char *sym) {
    size_t n = 0;
    while (sym[n] && sym[n] != '.') n++;
    for (size_t i = 0; i < co__nnames; i++) {
        const char *c = co__names[i].cname;
        if (strncmp(c, sym, n) == 0 && c[n] == '\0') return co__names[i].name;
    }
    return NULL;
}

typedef struct { const Elf64_Sym *syms; size_t nsyms; const char *str; size_t strsz; uintptr_t text_lo, text_hi; } co__elf;

/* The ELF symbol table of the mapped executable; false if it has none. */
static bool co__elf_open(const unsigned char *base, size_t size, co__elf *e) {
    if (size < sizeof(Elf64_Ehdr) || memcmp(base, ELFMAG, SELFMAG) != 0 || base[EI_CLASS] != ELFCLASS64) return false;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
    if (eh->e_shoff == 0 || eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size) return false;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(base + eh->e_shoff);
    memset(e, 0, sizeof *e);
    e->text_lo = UINTPTR_MAX;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type == SHT_PROGBITS && (sh[i].sh_flags & SHF_EXECINSTR)) {
            if (sh[i].sh_addr < e->text_lo) e->text_lo = sh[i].sh_addr;
            if (sh[i].sh_addr + sh[i].sh_size > e->text_hi) e->text_hi = sh[i].sh_addr + sh[i].sh_size;
        }
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum) continue;
        const Elf64_Shdr *st = &sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > size || st->sh_offset + st->sh_size > size) return false;
        e->syms = (const Elf64_Sym *)(base + sh[i].sh_offset);
        e->nsyms = sh[i].sh_size / sizeof(Elf64_Sym);
        e->str = (const char *)(base + st->sh_offset);
        e->strsz = st->sh_size;
    }
    return e->syms != NULL;
}

/* The name of the function symbol holding link-time address a, or NULL. */
static const char *co__elf_func(const co__elf *e, uintptr_t a) {
    for (size_t i = 0; i < e->nsyms; i++) {
        const Elf64_Sym *s = &e->syms[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_size == 0) continue;
        if (a >= s->st_value && a < s->st_value + s->st_size && s->st_name < e->strsz) {
            const char *n = e->str + s->st_name;
            return memchr(n, '\0', e->strsz - s->st_name) ? n : NULL;
        }
    }
    return NULL;
}

/* The Colang function running at pc, or the nearest one that called into the
 * code at pc (return addresses among the words from sp up); NULL if none. */
/* Not instrumented: the words above sp include ASan's stack redzones. */
__attribute__((no_sanitize_address))
static const char *co__overflowed_in(uintptr_t pc, uintptr_t sp, void *const *pcs, int npcs) {
    if (!co__nnames) return NULL;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED && co__exe_reserve) {
            munmap(co__exe_reserve, co__exe_reserve_len);
            co__exe_reserve = NULL;
            map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        }
    }
    close(fd);
    if (map == MAP_FAILED) return NULL;
    co__elf e;
    const char *found = NULL;
    if (co__elf_open(map, (size_t)st.st_size, &e)) {
        const char *sym = co__elf_func(&e, pc - co__load_bias);
        if (sym) found = co__colang_name(sym);
        /* The return addresses the unwinder found, when there are any (outside a signal handler). */
        for (int i = 0; !found && i < npcs; i++) {
            sym = co__elf_func(&e, (uintptr_t)pcs[i] - co__load_bias - 1);
            if (sym) found = co__colang_name(sym);
        }
        /* 16 KiB of stack from sp up. sp itself may be past the end of the
         * stack (a prologue lowered it by a large frame, a later store
         * faulted), so each page is read only once mincore says it is mapped. */
        uintptr_t page = co__page, mapped_end = 0;
        for (uintptr_t p = sp & ~(uintptr_t)7; !found && npcs == 0 && p + 8 <= co__stack_top && p < sp + 16384; p += 8) {
            if (p >= mapped_end) {
                unsigned char vec;
                uintptr_t pg = p & ~(page - 1);
                if (mincore((void *)pg, page, &vec) != 0) { p = pg + page - 8; continue; }
                mapped_end = pg + page;
            }
            uintptr_t w = *(const uintptr_t *)p - co__load_bias;
            if (w < e.text_lo || w >= e.text_hi) continue;
            sym = co__elf_func(&e, w - 1);   /* a return address points just past its call */
            if (sym) found = co__colang_name(sym);
        }
    }
    /* the names live in the mapping; a panic exits, so it is never unmapped */
    if (!found) munmap(map, (size_t)st.st_size);
    return found;
}

/* The Colang function whose call is in progress, found as a stack overflow's
 * is (the nearest return address into one); NULL when unknown (no names, a
 * thread of libuv's pool, no memory even to map the executable). */
__attribute__((noinline)) const char *co__calling_fn(void) {
    /* The unwinder's return addresses (the unwind tables gcc and clang emit on
     * x86-64) rather than a scan of raw stack words, whose uninitialised ones
     * valgrind reports; the scan stays the fallback (no unwinder memory). */
    void *pcs[32];
    int n = backtrace(pcs, 32);
    return co__overflowed_in((uintptr_t)__builtin_return_address(0), (uintptr_t)__builtin_frame_address(0), pcs, n > 0 ? n : 0);
}

static void co__write_str(const char *s) {
    size_t n = co__slen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w; n -= (size_t)w;
    }
}

static void co__segv(int sig, siginfo_t *si, void *ucv) {
    uintptr_t a = (uintptr_t)si->si_addr;
    if (a < co__stack_top && co__stack_top - a <= co__stack_window) {
        co_flush();
        uintptr_t pc = 0, sp = 0;
        const ucontext_t *uc = ucv;
#if defined(__x86_64__)
        pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
        sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
        pc = (uintptr_t)uc->uc_mcontext.pc;
        sp = (uintptr_t)uc->uc_mcontext.sp;
#else
        (void)uc;
#endif
        const char *fn = pc ? co__overflowed_in(pc, sp, NULL, 0) : NULL;
        if (fn) {
            co__write_str("panic: stack overflow in ");
            co__write_str(fn);
            co__write_str(" (recursion too deep)\n");
        } else {
            co__write_str("panic: stack overflow (recursion too deep)\n");
        }
        _exit(CO_PANIC_EXIT_CODE);
    }
    signal(sig, SIG_DFL);   /* not ours: returning re-runs the access, which now gets the default action */
}

static int co__first_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    *(uintptr_t *)data = (uintptr_t)info->dlpi_addr;
    return 1;   /* the first object is the executable */
}

void co__stack_guard_init(void) {
    char here;
    co__stack_top = (uintptr_t)&here;
    struct rlimit rl;
    uintptr_t size = (uintptr_t)8 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) size = (uintptr_t)rl.rlim_cur;
    else if (getrlimit(RLIMIT_STACK, &rl) == 0) size = (uintptr_t)1 << 30;
    co__stack_window = size + ((uintptr_t)1 << 20);   /* the stack plus its guard area */
    struct stat exe;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && stat("/proc/self/exe", &exe) == 0 && exe.st_size > 0) {
        co__exe_reserve_len = (size_t)exe.st_size;
        co__exe_reserve = mmap(NULL, co__exe_reserve_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (co__exe_reserve == MAP_FAILED) co__exe_reserve = NULL;
        void *pc0[1];
        (void)backtrace(pc0, 1);   /* loads libgcc's unwinder now: later there may be no room to map it */
    }
    dl_iterate_phdr(co__first_object, &co__load_bias);
    long pg = sysconf(_SC_PAGESIZE);
    if (pg > 0) co__page = (uintptr_t)pg;
    static char altstack[64 * 1024];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) != 0) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = co__segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
}
