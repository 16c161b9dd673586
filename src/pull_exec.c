/* Running --exec commands: see pull_exec.h. */
#include "pull_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Every variable a command may be given, left out of the inherited ones. */
static const char *const own_vars[] = {
    "DCMFEED_SEQUENCE",      "DCMFEED_ACTION",   "DCMFEED_STATE",     "DCMFEED_STUDY_UID",
    "DCMFEED_SERIES_UID",    "DCMFEED_SOP_UID",  "DCMFEED_TIMESTAMP", "DCMFEED_FIRST_SEQUENCE",
    "DCMFEED_LAST_SEQUENCE", "DCMFEED_REVISION", "DCMFEED_ENTRIES",
};
#define OWN_VARS (sizeof own_vars / sizeof own_vars[0])

static bool is_own_var(const char *assignment)
{
    for (size_t i = 0; i < OWN_VARS; i++) {
        size_t n = strlen(own_vars[i]);
        if (strncmp(assignment, own_vars[i], n) == 0 && assignment[n] == '=')
            return true;
    }
    return false;
}

static void free_env(char **env)
{
    if (env == NULL)
        return;
    for (size_t i = 0; env[i] != NULL; i++)
        if (is_own_var(env[i]))
            free(env[i]);
    free(env);
}

/* The command's environment: ours without our variables, then names[i] =
 * values[i] for each value that is not NULL. Built before the spawn, so the
 * child only calls exec. NULL when out of memory; free with free_env. */
static char **make_env(const char *const *names, const char *const *values, size_t count)
{
    size_t n = 0;
    while (environ[n] != NULL)
        n++;
    char **env = calloc(n + count + 1, sizeof *env);
    if (env == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_own_var(environ[i]))
            env[k++] = environ[i];
    for (size_t i = 0; i < count; i++) {
        if (values[i] == NULL)
            continue;
        size_t len = strlen(names[i]) + 1 + strlen(values[i]) + 1;
        char *a = malloc(len);
        if (a == NULL) {
            env[k] = NULL;
            free_env(env);
            return NULL;
        }
        snprintf(a, len, "%s=%s", names[i], values[i]);
        env[k++] = a;
    }
    env[k] = NULL;
    return env;
}

/* Writes p[0..n) to the command's pipe; a second stop request while it
 * blocks sends the command SIGTERM. A command that does not read its stdin
 * closes the pipe early: EPIPE (SIGPIPE is ignored) is then no error. */
static int feed(int fd, const char *p, size_t n, pid_t child, volatile sig_atomic_t *stop,
                bool *killed)
{
    while (n > 0) {
        ssize_t put = write(fd, p, n);
        if (put < 0 && errno == EINTR) {
            if (stop != NULL && *stop >= 2 && !*killed) {
                kill(-child, SIGTERM);
                *killed = true;
            }
            continue;
        }
        if (put < 0)
            return errno == EPIPE ? 0 : -1;
        p += put;
        n -= (size_t)put;
    }
    return 0;
}

static int run(const char *command, const char *input, size_t len, char **env,
               volatile sig_atomic_t *stop, df_error *err)
{
    int rc = 0, pipe_fd[2] = {-1, -1};
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    bool have_actions = false, have_attr = false;
    pid_t child = 0;
    if (env == NULL || pipe2(pipe_fd, O_CLOEXEC) != 0) {
        rc = df_error_set(err, DF_ENOMEM, "cannot prepare the command: %s", strerror(errno));
        goto out;
    }
    sigset_t defaults, none;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    have_actions = posix_spawn_file_actions_init(&actions) == 0;
    have_attr = have_actions && posix_spawnattr_init(&attr) == 0;
    if (!have_attr || posix_spawn_file_actions_adddup2(&actions, pipe_fd[0], 0) != 0 ||
        posix_spawnattr_setpgroup(&attr, 0) != 0 ||
        posix_spawnattr_setsigdefault(&attr, &defaults) != 0 ||
        posix_spawnattr_setsigmask(&attr, &none) != 0 ||
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                            POSIX_SPAWN_SETSIGMASK) != 0) {
        rc = df_error_set(err, DF_ENOMEM, "cannot prepare the command");
        goto out;
    }
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    int spawned = posix_spawn(&child, "/bin/sh", &actions, &attr, argv, env);
    if (spawned != 0) {
        rc = df_error_set(err, DF_EIO, "cannot run /bin/sh: %s", strerror(spawned));
        goto out;
    }
    close(pipe_fd[0]);
    pipe_fd[0] = -1;
    bool killed_by_us = false;
    if (feed(pipe_fd[1], input, len, child, stop, &killed_by_us) != 0 ||
        feed(pipe_fd[1], "\n", 1, child, stop, &killed_by_us) != 0)
        rc = df_error_set(err, DF_EIO, "cannot write to the command: %s", strerror(errno));
    close(pipe_fd[1]);
    pipe_fd[1] = -1;
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            rc = df_error_set(err, DF_EIO, "cannot wait for the command: %s", strerror(errno));
            goto out;
        }
        if (stop != NULL && *stop >= 2 && !killed_by_us) {
            kill(-child, SIGTERM);
            killed_by_us = true;
        }
    }
    if (rc != 0)
        goto out;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        goto out;
    if (WIFEXITED(status))
        rc = df_error_set(err, DF_EIO, "the command exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        rc = df_error_set(err, DF_EIO, "the command was killed by signal %d%s", WTERMSIG(status),
                          killed_by_us ? " (a second stop request)" : "");
    else
        rc = df_error_set(err, DF_EIO, "the command failed");
out:
    if (have_attr)
        posix_spawnattr_destroy(&attr);
    if (have_actions)
        posix_spawn_file_actions_destroy(&actions);
    if (pipe_fd[0] >= 0)
        close(pipe_fd[0]);
    if (pipe_fd[1] >= 0)
        close(pipe_fd[1]);
    return rc;
}

int df_pull_exec_entry(const char *command, const df_pull_entry *e, volatile sig_atomic_t *stop,
                       df_error *err)
{
    static const char *const names[] = {
        "DCMFEED_SEQUENCE",   "DCMFEED_ACTION",  "DCMFEED_STATE",     "DCMFEED_STUDY_UID",
        "DCMFEED_SERIES_UID", "DCMFEED_SOP_UID", "DCMFEED_TIMESTAMP",
    };
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)e->sequence);
    const char *values[] = {seq,           e->action,  e->state,    e->study_uid,
                            e->series_uid, e->sop_uid, e->timestamp};
    char **env = make_env(names, values, sizeof names / sizeof names[0]);
    int rc = run(command, e->json, e->json_len, env, stop, err);
    free_env(env);
    return rc;
}

int df_pull_exec_study(const char *command, const df_pull_study_info *s, const char *json,
                       size_t len, volatile sig_atomic_t *stop, df_error *err)
{
    static const char *const names[] = {
        "DCMFEED_STUDY_UID", "DCMFEED_FIRST_SEQUENCE", "DCMFEED_LAST_SEQUENCE",
        "DCMFEED_REVISION",  "DCMFEED_ENTRIES",
    };
    char first[24], last[24], revision[24], count[24];
    snprintf(first, sizeof first, "%lld", (long long)s->first);
    snprintf(last, sizeof last, "%lld", (long long)s->last);
    snprintf(revision, sizeof revision, "%lld", (long long)s->revision);
    snprintf(count, sizeof count, "%zu", s->count);
    const char *values[] = {s->uid, first, last, revision, count};
    char **env = make_env(names, values, sizeof names / sizeof names[0]);
    int rc = run(command, json, len, env, stop, err);
    free_env(env);
    return rc;
}
