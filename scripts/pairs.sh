#!/usr/bin/env bash
# Concurrent A/B pairs for a noisy machine: two rustscout builds scan the same repository at the
# same moment, start order alternating, and each side's CPU seconds (user + sys, GNU time) are
# printed pair by pair. Sequential runs on a shared 2-core VM drift by 10 % and more; two runs
# started together see the same machine, so a 1–2 % difference shows in every pair.
#
# usage: scripts/pairs.sh A B REPO [ROUNDS] [scan options…]
#   A, B     rustscout checkouts with dist/ built (e.g. a `git worktree` of the old revision and .)
#   REPO     the repository to scan (default options: --format json -o /dev/null --no-git --no-cache)
#   ROUNDS   pairs to run (default 4)
# Environment for one side: A_ENV / B_ENV, e.g. B_ENV="NODE_OPTIONS=--max-semi-space-size=32".
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,11p' "$0"; exit 2; }
a=$1 b=$2 repo=$3 rounds=${4:-4}
shift $(( $# >= 4 ? 4 : 3 ))
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time: Debian package 'time')"; exit 2; }
for side in "$a" "$b"; do [ -f "$side/dist/src/cli.js" ] || { echo "$side/dist/src/cli.js missing: build it first"; exit 2; }; done

one() { # tag checkout env…
  local tag=$1 dir=$2 envs=$3
  env $envs /usr/bin/time -f "$tag %e %U %S %M" node "$dir/dist/src/cli.js" scan "$repo" \
    --format json --output /dev/null --no-git --no-cache "${@:4}" 2>&1 >/dev/null | tail -1
}
for i in $(seq 1 "$rounds"); do
  if [ $((i % 2)) = 1 ]; then
    { one A "$a" "${A_ENV:-}" "$@" & one B "$b" "${B_ENV:-}" "$@" & wait; }
  else
    { one B "$b" "${B_ENV:-}" "$@" & one A "$a" "${A_ENV:-}" "$@" & wait; }
  fi
done | awk '
  $1 == "A" || $1 == "B" { cpu = $3 + $4; c[$1] = c[$1] sprintf(" %.2f", cpu); s[$1] += cpu; n[$1]++; r[$1] = r[$1] " " int($5 / 1024) }
  END { for (k in c) printf "%s  CPU s%s  (mean %.2f)   peak RSS MB%s\n", k, c[k], s[k] / n[k], r[k] }' | sort
