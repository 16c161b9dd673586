# The loop of the crash-safety tests (sourced after tests/lib/lib.sh, bash): a
# program killed with SIGKILL at random moments and started again, until it
# has been killed often enough. What it left behind is the test's to check.

# kill_runs [-l LABEL] WANTED MAX_MS SECONDS ERRORS BEFORE... -- COMMAND...:
# runs COMMAND in the background, its stderr appended to the file ERRORS, and
# kills it with SIGKILL 1 to MAX_MS ms later; again and again until WANTED
# runs were killed. The command BEFORE (with its arguments) runs before each
# run: it keeps the work ahead of the program, so that every kill can land in
# work. A run that ends by itself before its kill is fine; one that fails, or
# the whole loop taking over SECONDS, is not_ok (LABEL: before the message)
# and ends the loop. Sets $kills and $runs.
kill_runs() {
    local label="" wanted max_ms seconds errors before=() started pid rc ms
    if [ "$1" = -l ]; then
        label="$2: "
        shift 2
    fi
    wanted=$1 max_ms=$2 seconds=$3 errors=$4
    shift 4
    while [ "$1" != -- ]; do
        before+=("$1")
        shift
    done
    shift
    kills=0
    runs=0
    started=$(date +%s)
    while [ "$kills" -lt "$wanted" ]; do
        "${before[@]}"
        # The command itself in the background, not a subshell: "$!" must be
        # the program, for the kill to land in it.
        "$@" 2>>"$errors" &
        pid=$!
        ms=$((RANDOM % max_ms + 1))
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        kill -KILL "$pid" 2>/dev/null || true
        rc=0
        wait "$pid" 2>/dev/null || rc=$?
        runs=$((runs + 1))
        if [ "$rc" = 137 ]; then
            kills=$((kills + 1))
        elif [ "$rc" != 0 ]; then
            not_ok "${label}run $runs exited $rc: $(tail -n 1 "$errors")"
            break
        fi
        if [ $(($(date +%s) - started)) -gt "$seconds" ]; then
            not_ok "$label$kills kills took over $seconds s"
            break
        fi
    done
}
