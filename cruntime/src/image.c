/* image.c — whether bytes lie in the program's read-only image: the
 * executable's PT_LOAD segments without write permission (its code and its
 * constants, string literals among them), found once with dl_iterate_phdr.
 * Such bytes never change, so a check of them may be remembered by address
 * (the HTTP server's response fields, http_fields.c). When a writable
 * segment lies between two read-only ones, nothing counts as read-only. */
#define _GNU_SOURCE
#include <link.h>
#include "colang.h"

static uintptr_t ro_lo = 1, ro_hi = 0;   /* empty until found */
static bool ro_looked = false;

static int find_image(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W)) continue;
        uintptr_t a = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr, b = a + (uintptr_t)ph->p_memsz;
        if (a < lo) lo = a;
        if (b > hi) hi = b;
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W)) continue;
        uintptr_t a = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr, b = a + (uintptr_t)ph->p_memsz;
        if (a < hi && b > lo) return 1;   /* not one read-only range: leave it empty */
    }
    if (lo < hi) { ro_lo = lo; ro_hi = hi; }
    return 1;   /* the first object reported is the executable */
}

bool co__readonly(const void *p, size_t n) {
    if (!ro_looked) {
        ro_looked = true;
        dl_iterate_phdr(find_image, NULL);
    }
    uintptr_t a = (uintptr_t)p;
    return a >= ro_lo && a < ro_hi && n <= ro_hi - a;
}
