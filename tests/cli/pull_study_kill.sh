#!/bin/bash
# Exactly once per revision across kill -9 of dcmfeed-pull --per-study: the
# feed grows with studies interleaved (a batch of one study, then of
# another, then more of the first, …), and a consumer handing studies over to
# --exec is killed with SIGKILL at random moments, again and again, and
# started again from its state file, as tests/cli/pull_kill.sh does for
# entries. In the end: every entry was handed over; no entry in two
# revisions; a study's revisions numbered 1, 2, … in order, each holding
# only entries after the previous one's, in Sequence order, of that study
# alone; and a revision handed over twice only when a kill fell between its
# command and the state's update (at most one per kill).
set -eu
. "${top_srcdir:-.}/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/pull_lib.sh"
. "$top_srcdir/tests/lib/kill_lib.sh"
[ -x /usr/bin/python3 ] || skip_all "python3 is not installed"
command -v jq >/dev/null || skip_all "jq is not installed (apt-get install jq)"
unset DCMFEED_CORPUS DCMFEED_DB

kills_wanted=${PULL_KILLS:-40}
db="$test_dir/feed.db"
start_pull_server

# Six studies; each round appends 4 to 9 new instances to one of them.
declare -a next_instance=(0 1 1 1 1 1 1)
n=0
grow() {
    local k=$((RANDOM % 6 + 1)) count=$((RANDOM % 6 + 4))
    ingest_sample "$db" "$count" "$k" "${next_instance[$k]}"
    next_instance[k]=$((next_instance[k] + count))
    n=$((n + count))
}
for _ in $(seq 1 12); do grow; done

handed="$test_dir/handed"
st="$test_dir/state"
# One line per hand-over, written by one echo (one append). A command whose
# dcmfeed-pull was killed while it wrote the study reads a cut array: jq
# refuses it, and the command does nothing, as a real one must (jq 1.6
# reads an empty stdin as no input at all: hence the test of the result).
cmd="seqs=\$(jq -er 'map(.Sequence) | join(\",\")') && [ -n \"\$seqs\" ] || exit 1
echo \"\$DCMFEED_STUDY_UID \$DCMFEED_REVISION \$seqs\" >>'$handed'"
pull_cmd=("$PULL" -q --user "$pull_user" --per-study --stable-age 0.02 --limit 10 --no-metadata
    --state "$st" --exec "$cmd" "$base")
resume_of() { awk '$1 == "resume" { r = $2 } $1 == "handed" { r = $4 } END { print r }' "$1"; }

# Keeps the feed ahead of the consumer, so that every kill can land in work.
grow_ahead() {
    if [ "$(resume_of "$st" 2>/dev/null || echo 0)" -ge $((n - 30)) ]; then
        for _ in 1 2 3 4; do grow; done
    fi
}
kill_runs "$kills_wanted" 250 150 "$test_dir/errors" grow_ahead -- "${pull_cmd[@]}"
echo "# $kills kills in $runs runs; feed of $n entries; $(wc -l <"$handed") hand-overs"
rc=0
"${pull_cmd[@]}" || rc=$?
check "the last run hands every study over" [ "$rc" = 0 ]
check "the resume point is past the feed" [ "$(resume_of "$st")" = $((n + 1)) ]

# The study of each entry, from the feed itself.
for offset in $(seq 0 100 $((n - 1))); do
    "$CURL" -s -u "$pull_user" "$base/changefeed?offset=$offset&limit=100&includemetadata=false"
done | jq -r '.[] | "\(.Sequence) \(.StudyInstanceUid)"' >"$test_dir/feed"

/usr/bin/python3 - "$handed" "$test_dir/feed" "$n" "$kills" >"$test_dir/verdict" <<'PY' || true
import sys
handed, feed, n, kills = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
study_of = dict(line.split() for line in open(feed))
study_of = {int(k): v for k, v in study_of.items()}
lines = [l.split() for l in open(handed) if l.strip()]
problems = []
where = {}        # seq -> set of (study, revision)
seen = {}         # (study, revision) -> entries, first time
order = {}        # study -> revisions in order of first hand-over
repeats = 0
for uid, rev, seqs in lines:
    rev = int(rev)
    seqs = [int(s) for s in seqs.split(",")]
    if seqs != sorted(seqs):
        problems.append("%s %d: entries out of order" % (uid, rev))
    for s in seqs:
        if study_of.get(s) != uid:
            problems.append("%s %d holds entry %d of %s" % (uid, rev, s, study_of.get(s)))
        where.setdefault(s, set()).add((uid, rev))
    key = (uid, rev)
    if key in seen:
        repeats += 1
        if not set(seen[key]) <= set(seqs):
            problems.append("%s %d handed over again with fewer entries" % key)
    else:
        seen[key] = seqs
        order.setdefault(uid, []).append(rev)
lost = [s for s in range(1, n + 1) if s not in where]
if lost:
    problems.append("entries never handed over: %s" % lost[:20])
twice = [s for s, w in where.items() if len(w) > 1]
if twice:
    problems.append("entries in two revisions: %s" % [(s, sorted(where[s])) for s in twice[:10]])
for uid, revs in order.items():
    if revs != list(range(1, len(revs) + 1)):
        problems.append("%s: revisions %s" % (uid, revs))
    for a, b in zip(revs, revs[1:]):
        if min(seen[(uid, b)]) <= max(seen[(uid, a)]):
            problems.append("%s: revision %d does not follow %d" % (uid, b, a))
print("repeats %d" % repeats)
print("revisions %d" % len(seen))
for p in problems[:20]:
    print("problem " + p)
PY
repeats=$(sed -n 's/^repeats //p' "$test_dir/verdict")
echo "# $(sed -n 's/^revisions //p' "$test_dir/verdict") revisions; $repeats handed over twice"
sed -n 's/^problem /# /p' "$test_dir/verdict"
check "every entry handed over, none in two revisions, revisions 1, 2, … in order" \
    holds '! grep -q "^problem" "$test_dir/verdict" && [ -n "$repeats" ]'
check "a revision repeated at most once per kill ($repeats <= $kills)" [ "${repeats:-999}" -le "$kills" ]
check "$kills_wanted kills" [ "$kills" -ge "$kills_wanted" ]
finish
