// measure: run a command once and report its wall time and peak memory.
//
//   measure STDOUT_FILE COMMAND [ARGS...]
//
// Runs COMMAND with its standard output redirected to STDOUT_FILE (standard
// error is inherited), waits for it with wait4(), and prints one line to its
// own standard output:
//
//   <wall seconds> <peak RSS in KiB> <user+sys CPU seconds> <exit status>
//
// The wall time is CLOCK_MONOTONIC from just before fork() to the return of
// wait4(); the peak RSS is the child's ru_maxrss. The exit status is the
// child's exit code, or 128 + the signal number when a signal ended it.
// Built by scripts/bench/run.ts (gcc -O2) into build/bench/compute/.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timespec t) { return (double)t.tv_sec + (double)t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: measure STDOUT_FILE COMMAND [ARGS...]\n");
        return 2;
    }
    int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) { perror(argv[1]); return 2; }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 2; }
    if (pid == 0) {
        if (dup2(out, STDOUT_FILENO) < 0) { perror("dup2"); _exit(127); }
        close(out);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    close(out);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) { perror("wait4"); return 2; }
    clock_gettime(CLOCK_MONOTONIC, &t1);

    int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6
               + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("%.6f %ld %.6f %d\n", seconds(t1) - seconds(t0), ru.ru_maxrss, cpu, code);
    return 0;
}
