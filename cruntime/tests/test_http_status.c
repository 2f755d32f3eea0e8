/* test_http_status.c — the reason phrases of status codes (http_status.c). */
#include "t.h"

/* Reason phrases (tester round 12: 412 answered "412 Unknown"). */
void test_http_status(void) {
    static const struct { int code; const char *text; } want[] = {
        { 200, "OK" }, { 203, "Non-Authoritative Information" }, { 205, "Reset Content" }, { 300, "Multiple Choices" },
        { 402, "Payment Required" }, { 406, "Not Acceptable" }, { 407, "Proxy Authentication Required" },
        { 412, "Precondition Failed" }, { 416, "Range Not Satisfiable" }, { 417, "Expectation Failed" },
        { 418, "I'm a Teapot" }, { 421, "Misdirected Request" }, { 425, "Too Early" }, { 426, "Upgrade Required" },
        { 428, "Precondition Required" }, { 451, "Unavailable For Legal Reasons" }, { 511, "Network Authentication Required" },
        { 299, "Unknown" }, { 599, "Unknown" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) CHECK(strcmp(co_http_status_text(want[i].code), want[i].text) == 0);
    /* every code 100..599 with a phrase has one without control characters or CR/LF */
    for (int c = 100; c < 600; c++) {
        const char *t = co_http_status_text(c);
        for (const char *q = t; *q; q++) CHECK(*q >= 0x20 && *q < 0x7f);
    }
}

