#!/usr/bin/env bash
# Side by side: `resindex link` and Splink 5 on the same canonical files, scored
# against the same truth. Prints one Markdown table row per data set.
#
#   bench/peer/side_by_side.sh [DATASET…]
#
# DATASET is febrl1, febrl2, febrl3, febrl4 (dataset4a + 4b linked together),
# each also with -ssn (soc_sec_id kept as an identifier), or a generator
# profile: borough, people, … (`resindex gen --profile NAME`). Without
# arguments: every FEBRL set with and without the identifier, then $PROFILES.
# A profile the binary rejects is skipped with a note on stderr.
#
# Environment:
#   RESINDEX  the resindex binary (default: built from this checkout into $WORK/resindex)
#   PYTHON    a Python with splink installed (default: python3; see README.md)
#   WORK      where data sets and outputs go (default: /tmp/resindex-peer)
#   FEBRL     the FEBRL files (default: ../shared/benchmarks/febrl beside the repository)
#   PROFILES  generator profiles to run (default: "borough people")
#   PERSONS   persons for generated data sets (default: 20000); SEED (default: 1)
#   SPLINK_ARGS  extra arguments for splink_link.py
#
# Not part of CI or `go test`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
WORK=${WORK:-/tmp/resindex-peer}
FEBRL=${FEBRL:-$repo/../shared/benchmarks/febrl}
PROFILES=${PROFILES:-borough people}
PERSONS=${PERSONS:-20000}
SEED=${SEED:-1}
PYTHON=${PYTHON:-python3}
SPLINK_ARGS=${SPLINK_ARGS:-}
mkdir -p "$WORK"

if [[ -z "${RESINDEX:-}" ]]; then
	RESINDEX=$WORK/resindex
	(cd "$repo" && go build -o "$RESINDEX" ./cmd/resindex)
fi
"$PYTHON" -c 'import splink' 2>/dev/null || {
	echo "side_by_side: $PYTHON cannot import splink (see bench/peer/README.md)" >&2
	exit 1
}

if [[ $# -eq 0 ]]; then
	set -- febrl1 febrl2 febrl3 febrl4 febrl1-ssn febrl2-ssn febrl3-ssn febrl4-ssn $PROFILES
fi

# prepare NAME: make $WORK/NAME/{canonical,truth} unless there; fails for an
# unknown name or a profile the binary rejects.
prepare() {
	local name=$1 dir=$WORK/$1
	[[ -f $dir/truth/records.csv ]] && return 0
	local ssn=() base=$name
	if [[ $name == *-ssn ]]; then ssn=(--ssn); base=${name%-ssn}; fi
	case $base in
	febrl1 | febrl2 | febrl3)
		"$RESINDEX" convert febrl --in "$FEBRL/dataset${base#febrl}.csv" "${ssn[@]}" --out "$dir" 2>/dev/null ;;
	febrl4)
		"$RESINDEX" convert febrl --in "$FEBRL/dataset4a.csv" --in "$FEBRL/dataset4b.csv" "${ssn[@]}" --out "$dir" 2>/dev/null ;;
	borough) # the first profile: also for a binary without --profile
		"$RESINDEX" gen --persons "$PERSONS" --seed "$SEED" --no-events --quiet --out "$dir" ;;
	*)
		[[ ${#ssn[@]} -eq 0 ]] || return 1
		"$RESINDEX" gen --profile "$base" --persons "$PERSONS" --seed "$SEED" --quiet --out "$dir" 2>/dev/null ;;
	esac
}

# now: seconds since the epoch, with fractions.
now() { date +%s.%N; }

# ratio PERCENT: "99.1234%" → 0.9912
ratio() { awk -v p="${1%\%}" 'BEGIN { printf "%.4f", p / 100 }'; }

echo "| data set | records | resindex P | R | F1 | time | Splink P | R | F1 | time |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in "$@"; do
	if ! prepare "$name"; then
		echo "side_by_side: skipping $name (unknown data set, or a profile this resindex does not have)" >&2
		rm -rf "${WORK:?}/$name"
		continue
	fi
	dir=$WORK/$name
	truth=$dir/truth/records.csv
	records=$(($(wc -l <"$truth") - 1))

	t0=$(now)
	"$RESINDEX" link --in "$dir/canonical" --out "$dir/resindex.csv" --truth "$truth" --quiet 2>"$dir/resindex.log"
	t1=$(now)
	"$RESINDEX" eval --truth "$truth" --clusters "$dir/resindex.csv" >"$dir/resindex.eval"
	rp=$(ratio "$(awk '/^Pairwise precision/ {print $3}' "$dir/resindex.eval")")
	rr=$(ratio "$(awk '/^Pairwise recall/ {print $3}' "$dir/resindex.eval")")
	rf=$(ratio "$(awk '/^Pairwise F1/ {print $3}' "$dir/resindex.eval")")
	rt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')

	# shellcheck disable=SC2086
	line=$("$PYTHON" "$here/splink_link.py" --in "$dir/canonical" --truth "$truth" \
		--out "$dir/splink.csv" $SPLINK_ARGS 2>"$dir/splink.log" | tail -1)
	read -r _ _ sp _ sr _ sf _ st _ <<<"$line"

	echo "| $name | $records | $rp | $rr | $rf | $rt | $sp | $sr | $sf | $st s |"
done
