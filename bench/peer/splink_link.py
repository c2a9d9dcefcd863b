#!/usr/bin/env python3
"""Link resindex's canonical NDJSON with Splink 5 (DuckDB), as a peer to `resindex link`.

    python bench/peer/splink_link.py --in DIR_OR_FILE [--in …] [--truth truth.csv]
                                     [--out clusters.csv] [--cluster-threshold 0.95]

Reads the same files `resindex link` reads (a directory stands for its *.ndjson),
keeps each record's newest version and drops deleted records (as resindex does),
flattens each record into one row, configures Splink as its documentation advises
(see bench/peer/README.md) using only the fields present in the data, trains it
without labels, predicts, clusters, and with --truth prints pairwise precision,
recall and F1 computed exactly as `resindex eval` computes them:

    splink  P 0.9xxx R 0.9xxx F1 0.9xxx  time 12.3 s  records N

The time is Splink's own work: training, prediction and clustering (not reading
the NDJSON, not importing Splink, not the blocking analysis printed beforehand).
--out writes the clusters as `resindex link` does (source,id,person_id), so that
`resindex eval` can score them too.
"""

import argparse
import csv
import json
import logging
import os
import re
import sys
import time
from datetime import date, datetime

# ---------------------------------------------------------------- reading


def input_files(ins):
    """Expand --in arguments: a directory stands for its *.ndjson files."""
    files = []
    for p in ins:
        if os.path.isdir(p):
            names = sorted(n for n in os.listdir(p) if n.endswith(".ndjson"))
            if not names:
                sys.exit(f"splink_link: input {p}: no *.ndjson files in the directory")
            files += [os.path.join(p, n) for n in names]
        elif os.path.exists(p):
            files.append(p)
        else:
            sys.exit(f"splink_link: input {p}: no such file or directory")
    if not files:
        sys.exit("splink_link: no input: give --in FILE or a directory of *.ndjson")
    return files


def parse_version(v):
    """RFC 3339 as an instant when it is one, else None (compared as text)."""
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None


def newer(v, than, deleted, than_deleted):
    """resindex.CompareVersions: a later version wins; at the same moment a delete."""
    a, b = parse_version(v), parse_version(than)
    if a is not None and b is not None and (a.tzinfo is None) == (b.tzinfo is None):
        c = (a > b) - (a < b)
    else:
        c = (v > than) - (v < than)
    return c > 0 or (c == 0 and deleted and not than_deleted)


def read_live(files):
    """The newest version of each (source, id), deleted records dropped."""
    latest = {}
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            for no, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                    key = (r["source"], r["id"])
                except (ValueError, KeyError, TypeError):
                    bad += 1
                    if bad <= 20:
                        print(f"splink_link: {path}:{no}: malformed record, skipped", file=sys.stderr)
                    continue
                cur = latest.get(key)
                v, d = r.get("version", "") or "", bool(r.get("deleted"))
                if cur is None or newer(v, cur.get("version", "") or "", d, bool(cur.get("deleted"))):
                    latest[key] = r
    if bad > 20:
        print(f"splink_link: {bad} malformed lines in all", file=sys.stderr)
    return {k: r for k, r in latest.items() if not r.get("deleted")}


# ---------------------------------------------------------------- flattening
#
# Splink's documentation asks for standardised input (lower case, punctuation
# cleaned, consistent formats); these are the light cleanings it describes, not
# resindex's normalisers.

_space = re.compile(r"\s+")
_name_junk = re.compile(r"[^\w\s'-]", re.UNICODE)
_house_number = re.compile(r"^\d+[a-z]?(-\d+[a-z]?)?$")
_flat_words = {"flat", "apartment", "apt", "unit", "room", "maisonette"}
_uk_postcode = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def clean(s):
    if not isinstance(s, str):
        return None
    s = _space.sub(" ", s).strip().lower()
    return s or None


def clean_name(s):
    s = clean(s)
    if s is None:
        return None
    s = _space.sub(" ", _name_junk.sub(" ", s)).strip()
    return s or None


def clean_postcode(s):
    if not isinstance(s, str):
        return None
    s = _space.sub("", s).upper()
    if not s:
        return None
    if _uk_postcode.match(s):  # the one space before the inward code
        s = s[:-3] + " " + s[-3:]
    return s


def clean_dob(s):
    """(dob, birth_year): a full real date YYYY-MM-DD, else None; the year of
    YYYY, YYYY-MM or a full date."""
    if not isinstance(s, str):
        return None, None
    s = s.strip()
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", s)
    if not m:
        return None, None
    year = m.group(1)
    if m.group(3):
        try:
            date(int(year), int(m.group(2)), int(m.group(3)))
            return s, year
        except ValueError:
            return None, None
    return None, year


def clean_sex(s):
    s = clean(s)
    return {"m": "M", "male": "M", "f": "F", "female": "F"}.get(s)


def clean_phone(s):
    if not isinstance(s, str):
        return None
    d = re.sub(r"\D", "", s)
    if d.startswith("44") and len(d) > 10:
        d = "0" + d[2:]
    return d or None


def clean_identifier(s):
    if not isinstance(s, str):
        return None
    s = re.sub(r"[\s-]", "", s).upper()
    return s or None


def house_number(lines):
    """The first house number among the address lines, skipping a flat number
    ("Flat 2, 10 High Street" → "10")."""
    prev = ""
    for line in lines:
        for tok in re.split(r"[\s,]+", line.lower()):
            tok = tok.strip(".")
            if _house_number.match(tok) and prev not in _flat_words:
                return tok
            prev = tok
    return None


def street(lines):
    """The first address line without a house number leading it ("12 high
    street" → "high street"), as the FEBRL examples compare address_1 apart
    from street_number."""
    if not lines:
        return None
    toks = clean(lines[0]).split(" ")
    while toks and _house_number.match(toks[0].strip(",.")):
        toks = toks[1:]
    return " ".join(toks).strip(", ") or None


def first(xs):
    for x in xs or []:
        if x:
            return x
    return None


def flatten(key, r):
    name = r.get("name") or {}
    given = clean_name(name.get("given"))
    dob, year = clean_dob(r.get("dob"))
    addrs = r.get("addresses") or []
    addr = next((a for a in addrs if a.get("current")), addrs[0] if addrs else {})
    lines = [l for l in (addr.get("lines") or []) if isinstance(l, str) and l.strip()]
    row = {
        "unique_id": f"{key[0]}/{key[1]}",
        "source_dataset": key[0],
        "given_first": given.split(" ")[0] if given else None,
        "given_full": given,
        "family": clean_name(name.get("family")),
        "dob": dob,
        "birth_year": year,
        "sex": clean_sex(r.get("sex")),
        "postcode": clean_postcode(addr.get("postcode")),
        "town": clean(addr.get("town")),
        "address_line": clean(lines[0]) if lines else None,
        "house_number": house_number(lines),
        "street": street(lines),
        "uprn": clean_identifier(addr.get("uprn")),
        "email": clean(first(r.get("emails"))),
        "phone": clean_phone(first(r.get("phones"))),
    }
    if row["given_first"] and row["family"]:
        row["given_family"] = row["given_first"] + " " + row["family"]
    for kind, value in (r.get("identifiers") or {}).items():
        col = "id_" + re.sub(r"\W", "_", kind.lower())
        row[col] = clean_identifier(value)
    return row


def to_columns(rows):
    """Rows to columns. Columns null in every row are left out, and so are
    columns with one value in every row that has one (a town that is always
    "london" tells no records apart)."""
    names = []
    for row in rows:
        for k in row:
            if k not in names:
                names.append(k)
    cols = {k: [row.get(k) for row in rows] for k in names}
    keep = {"unique_id", "source_dataset"}
    return {k: v for k, v in cols.items() if k in keep or len({x for x in v if x is not None}) > 1}


# ---------------------------------------------------------------- the model


def mostly_uk_postcodes(values):
    vals = [v for v in values if v]
    return bool(vals) and sum(1 for v in vals if _uk_postcode.match(v)) >= 0.5 * len(vals)


def shared_addresses(cols):
    """Of the pairs of records at one address (same postcode and first line)
    whose given name and date of birth are both known, the share that differ
    in both: about 0 when an address is one person's (FEBRL, where only a
    person's duplicates share one), far above when households and flats
    put several people at one address. Needs no truth."""
    need = ("postcode", "address_line", "given_first", "dob")
    if not all(c in cols for c in need):
        return None
    groups = {}
    for pc, line, g, d in zip(*(cols[c] for c in need)):
        if pc and line and g and d:
            groups.setdefault((pc, line), []).append((g, d))
    known = differ = 0
    for members in groups.values():
        members = members[:200]
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                known += 1
                differ += members[i][0] != members[j][0] and members[i][1] != members[j][1]
    return differ / known if known else None


# At or above this share of different people at one address, the address is a
# household's, and its parts go into one comparison (--address auto).
SHARED_ADDRESS_LIMIT = 0.25


def address_comparisons(has, cols, mode):
    """The address as Splink is told it: one comparison (mode "one"), or one
    comparison a part (mode "parts"), as the docs' FEBRL examples compare
    postcode and street_number apart. Mode "auto" chooses "one" when
    addresses are shared by different people (shared_addresses), where the
    parts stacked would join a household's members, and "parts" otherwise."""
    import splink.comparison_library as cl

    why = ""
    if mode == "auto":
        share = shared_addresses(cols)
        mode = "one" if share is not None and share >= SHARED_ADDRESS_LIMIT else "parts"
        why = " (auto: " + ("no address shared" if share is None else
                            f"{share:.0%} of pairs at one address differ in given name and date of birth") + ")"
    if mode == "parts":
        out, note = [], "address: parts compared apart" + why
        if "postcode" in has:
            if mostly_uk_postcodes(cols["postcode"]):
                out.append(cl.PostcodeComparison("postcode"))
            else:
                out.append(cl.DamerauLevenshteinAtThresholds("postcode", [1, 2])
                           .configure(term_frequency_adjustments=True))
        if "uprn" in has:
            out.append(cl.ExactMatch("uprn").configure(term_frequency_adjustments=True))
        if "house_number" in has:
            out.append(cl.ExactMatch("house_number").configure(term_frequency_adjustments=True))
        if "street" in has:
            out.append(cl.JaroWinklerAtThresholds("street", [0.9, 0.7]))
        return out, note
    one, note = address_comparison(has, cols)
    note += why
    return ([one] if one is not None else []), note


def address_comparison(has, cols):
    """One comparison for the address. Its parts (property reference, first
    line, house number, street, postcode) are strongly correlated, and Splink
    assumes comparisons independent given match status: the docs leave such
    columns out or fold them into one comparison, whose levels then carry
    the combinations. Levels, most specific first: same UPRN; same first
    line and postcode; same house number, street (Jaro-Winkler >= 0.88) and
    near postcode; same number and street; same postcode and number or
    street; same postcode; near postcode (UK: same sector; else one edit
    apart). EM learns each level's m and u."""
    import splink.comparison_library as cl
    import splink.comparison_level_library as cll
    from splink import ColumnExpression

    parts = {"uprn", "address_line", "house_number", "street", "postcode"} & has
    if not parts:
        return None, "address: no address fields"
    if parts == {"postcode"}:
        if mostly_uk_postcodes(cols["postcode"]):
            return cl.PostcodeComparison("postcode"), "address: PostcodeComparison"
        return (cl.DamerauLevenshteinAtThresholds("postcode", [1, 2])
                .configure(term_frequency_adjustments=True), "address: postcode by edit distance")
    nulls = [cll.NullLevel(c) for c in ("uprn", "address_line", "postcode") if c in has]
    levels = [cll.And(*nulls) if len(nulls) > 1 else nulls[0]]
    if "uprn" in has:
        levels.append(cll.ExactMatchLevel("uprn").configure(label_for_charts="same UPRN"))
    if {"address_line", "postcode"} <= has:
        levels.append(cll.And(cll.ExactMatchLevel("address_line"), cll.ExactMatchLevel("postcode"))
                      .configure(label_for_charts="same first line and postcode"))
    uk = "postcode" in has and mostly_uk_postcodes(cols["postcode"])
    if "postcode" in has:
        if uk:
            near_postcode = cll.ExactMatchLevel(ColumnExpression("postcode").regex_extract(
                "^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? [0-9]"))
        else:
            near_postcode = cll.DamerauLevenshteinLevel("postcode", 1)
    same_number = cll.ExactMatchLevel("house_number") if "house_number" in has else None
    near_street = cll.JaroWinklerLevel("street", 0.88) if "street" in has else None
    if same_number and near_street:
        if "postcode" in has:
            levels.append(cll.And(same_number, near_street, near_postcode)
                          .configure(label_for_charts="same number, street and (near) postcode"))
        levels.append(cll.And(same_number, near_street)
                      .configure(label_for_charts="same number and street"))
    if "postcode" in has:
        some = [x for x in (same_number, near_street) if x]
        if some:
            levels.append(cll.And(cll.ExactMatchLevel("postcode"), cll.Or(*some) if len(some) > 1 else some[0])
                          .configure(label_for_charts="same postcode and number or street"))
        levels.append(cll.ExactMatchLevel("postcode").configure(label_for_charts="same postcode"))
        levels.append(near_postcode.configure(
            label_for_charts="same postcode sector" if uk else "postcode one edit apart"))
    levels.append(cll.ElseLevel())
    return (cl.CustomComparison(levels, output_column_name="address"),
            "address: one CustomComparison over " + ", ".join(sorted(parts)))


def build_model(cols, names="separate", address="auto"):
    """Comparisons, blocking rules for prediction, deterministic rules for the
    prior and the EM blocking rules, from the columns the data has."""
    import splink.comparison_library as cl
    from splink import block_on

    has = set(cols)
    ids = sorted(c for c in has if c.startswith("id_"))
    comparisons, notes = [], []

    # Names: as the FEBRL examples, a NameComparison each for given and family
    # name (term frequencies on exact agreement are built in); or, with
    # --names forename-surname, the ForenameSurnameComparison of the 50k
    # example with term frequencies on the full name.
    if {"given_first", "family"} <= has and names == "forename-surname":
        concat = "given_family" if "given_family" in has else None
        comparisons.append(cl.ForenameSurnameComparison(
            "given_first", "family", forename_surname_concat_col_name=concat))
    else:
        if {"given_first", "family"} <= has:
            # NameComparison's levels for the given name, with a level for
            # given and family names swapped (either way round), as
            # ForenameSurnameComparison has, since a swap is a common error.
            import splink.comparison_level_library as cll
            comparisons.append(cl.CustomComparison([
                cll.NullLevel("given_first"),
                cll.ExactMatchLevel("given_first").configure(tf_adjustment_column="given_first"),
                cll.Or(cll.ColumnsReversedLevel("given_first", "family"),
                       cll.ColumnsReversedLevel("family", "given_first")).configure(
                    label_for_charts="given and family names swapped"),
                cll.JaroWinklerLevel("given_first", 0.92),
                cll.JaroWinklerLevel("given_first", 0.88),
                cll.JaroWinklerLevel("given_first", 0.7),
                cll.ElseLevel(),
            ], output_column_name="given_first"))
        elif "given_first" in has:
            comparisons.append(cl.NameComparison("given_first"))
        if "family" in has:
            comparisons.append(cl.NameComparison("family"))
    if "dob" in has:
        comparisons.append(cl.DateOfBirthComparison(
            "dob", input_is_string=True, datetime_format="%Y-%m-%d", invalid_dates_as_null=True))
    elif "birth_year" in has:
        comparisons.append(cl.ExactMatch("birth_year"))
    if "sex" in has:
        comparisons.append(cl.ExactMatch("sex"))
    address, note = address_comparisons(has, cols, address)
    comparisons += address
    notes.append(note)
    if "town" in has:
        comparisons.append(cl.ExactMatch("town").configure(term_frequency_adjustments=True))
    if "email" in has:
        comparisons.append(cl.EmailComparison("email"))
    if "phone" in has:
        comparisons.append(cl.ExactMatch("phone"))
    for c in ids:
        comparisons.append(cl.DamerauLevenshteinAtThresholds(c, [1, 2]))

    # Blocking rules for prediction: each from populated fields.
    rules = []
    if "dob" in has:
        rules.append(block_on("dob"))
    if {"given_first", "family"} <= has:
        rules.append(block_on("given_first", "family"))
        rules.append("l.given_first = r.family and l.family = r.given_first")
        rules.append(block_on("family", "substr(given_first,1,1)"))
        rules.append(block_on("substr(given_first,1,3)", "substr(family,1,4)"))  # the 50k example's first rule
    if "postcode" in has:
        rules.append(block_on("postcode"))
    if {"house_number", "street"} <= has:
        rules.append(block_on("house_number", "street"))
    if "uprn" in has and "given_first" in has:
        rules.append(block_on("uprn", "substr(given_first,1,1)"))
    if "birth_year" in has and "family" in has:
        rules.append(block_on("birth_year", "substr(family,1,2)", "substr(given_first,1,1)")
                     if "given_first" in has else block_on("birth_year", "family"))
    for c in ("email", "phone", *ids):
        if c in has:
            rules.append(block_on(c))

    # Deterministic rules for probability_two_random_records_match.
    det = []
    if {"given_first", "family", "dob"} <= has:
        det.append(block_on("given_first", "family", "dob"))
    for c in ids:
        det.append(block_on(c))
    if "email" in has:
        det.append(block_on("email"))
    if not det and {"given_first", "family"} <= has:
        det.append(block_on("given_first", "family"))

    # EM blocking rules: names, then date of birth (or postcode), so that each
    # comparison is estimated in at least one session.
    em = []
    if {"given_first", "family"} <= has:
        em.append(block_on("given_first", "family"))
    if "dob" in has:
        em.append(block_on("dob"))
    elif "postcode" in has:
        em.append(block_on("postcode"))
    return comparisons, rules, det, em, notes


# ---------------------------------------------------------------- accuracy


def read_truth(path):
    truth = {}
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        header = next(rd, None)
        if header is None or [h.strip().lstrip("\ufeff") for h in header] != ["source", "id", "person_id"]:
            sys.exit(f"splink_link: {path}: want header source,id,person_id")
        for row in rd:
            if len(row) == 3:
                truth.setdefault((row[0], row[1]), row[2])
    return truth


def pairs(n):
    return n * (n - 1) // 2


def pairwise(truth, predicted):
    """Pairwise precision, recall and F1 over records in both, as `resindex eval`:
    precision 1 with no predicted pairs, recall 1 with no true pairs, F1 0 when both are 0."""
    t_size, p_size, cell = {}, {}, {}
    for key, p in predicted.items():
        t = truth.get(key)
        if t is None:
            continue
        t_size[t] = t_size.get(t, 0) + 1
        p_size[p] = p_size.get(p, 0) + 1
        cell[(t, p)] = cell.get((t, p), 0) + 1
    true_pairs = sum(pairs(n) for n in t_size.values())
    pred_pairs = sum(pairs(n) for n in p_size.values())
    correct = sum(pairs(n) for n in cell.values())
    prec = correct / pred_pairs if pred_pairs else 1.0
    rec = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, sum(t_size.values())


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--in", dest="ins", action="append", required=True,
                    help="canonical NDJSON file or directory of *.ndjson (repeatable)")
    ap.add_argument("--truth", help="truth CSV (source,id,person_id) to score against")
    ap.add_argument("--out", help="write clusters as source,id,person_id")
    ap.add_argument("--cluster-threshold", type=float, default=0.95,
                    help="match probability at which pairs join a cluster (default 0.95, as the docs' clustering examples)")
    ap.add_argument("--predict-threshold", type=float, default=0.2,
                    help="lowest match probability predict() keeps (default 0.2, as the FEBRL examples)")
    ap.add_argument("--u-pairs", type=float, default=1e7,
                    help="max_pairs for estimate_u_using_random_sampling (default 1e7)")
    ap.add_argument("--recall", type=float, default=0.8,
                    help="assumed recall of the deterministic rules for the prior (default 0.8)")
    ap.add_argument("--names", choices=["separate", "forename-surname"], default="separate",
                    help="a NameComparison each for given and family name (default, as the FEBRL examples) "
                         "or one ForenameSurnameComparison")
    ap.add_argument("--address", choices=["auto", "one", "parts"], default="auto",
                    help="one comparison for the address, one for each of its parts, or auto (default): "
                         "one when addresses are shared by different people")
    ap.add_argument("--seed", type=int, default=1, help="seed of u sampling")
    ap.add_argument("--label", default="splink", help="first word of the result line")
    ap.add_argument("--verbose", action="store_true", help="Splink's own log on stderr")
    args = ap.parse_args()

    t_read = time.perf_counter()
    live = read_live(input_files(args.ins))
    keys = sorted(live)
    rows = [flatten(k, live[k]) for k in keys]
    cols = to_columns(rows)
    t_read = time.perf_counter() - t_read
    log = lambda *a: print("splink_link:", *a, file=sys.stderr)
    log(f"{len(rows)} live records read in {t_read:.1f} s; columns: {', '.join(c for c in cols if c not in ('unique_id',))}")
    if len(rows) < 2:
        sys.exit("splink_link: fewer than two records")

    import duckdb  # noqa: F401  (imports are not timed)
    import pyarrow as pa
    import splink
    from splink import DuckDBAPI, Linker, SettingsCreator

    logging.getLogger("splink").setLevel(logging.INFO if args.verbose else logging.WARNING)
    comparisons, rules, det, em, notes = build_model(cols, args.names, args.address)
    table = pa.table({k: pa.array(v, type=pa.string()) for k, v in cols.items()})

    db_api = DuckDBAPI()
    sdf = db_api.register(table, dataset_display_name="records")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(sdf, settings, log_level=logging.INFO if args.verbose else logging.WARNING)

    log(f"Splink {splink.__version__}; comparisons: {', '.join(c.create_output_column_name() for c in comparisons)}")
    for n in notes:
        log(n)
    counts = linker.blocking_analysis.count_comparisons_from_blocking_rules(record_sample_proportion=1.0)
    for c in counts:
        log(f"  blocking rule {c['blocking_rule']}: {c['marginal_comparison_count']:,} new pairs")
    if counts:
        log(f"  {counts[-1]['cumulative_comparison_count']:,} pairs to score "
            f"of {counts[-1]['total_possible_comparison_count']:,} possible")

    t0 = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(det, recall=args.recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=args.u_pairs, seed=args.seed)
    for br in em:
        linker.training.estimate_parameters_using_expectation_maximisation(
            br, estimate_without_term_frequencies=True)
    t_train = time.perf_counter() - t0
    df_predict = linker.inference.predict(threshold_match_probability=args.predict_threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        df_predict, threshold_match_probability=args.cluster_threshold)
    rel = clusters.as_duckdbpyrelation().select("unique_id, cluster_id")
    assigned = dict(rel.fetchall())
    elapsed = time.perf_counter() - t0
    log(f"train {t_train:.1f} s, predict + cluster {elapsed - t_train:.1f} s; "
        f"prior {linker._settings_obj._probability_two_random_records_match:.3g}")

    by_uid = {f"{k[0]}/{k[1]}": k for k in keys}
    predicted = {by_uid[u]: str(c) for u, c in assigned.items()}
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["source", "id", "person_id"])
            for k in sorted(predicted):
                w.writerow([k[0], k[1], "splink-" + predicted[k]])
        os.replace(tmp, args.out)

    if args.truth:
        p, r, f1, n = pairwise(read_truth(args.truth), predicted)
        print(f"{args.label}  P {p:.4f} R {r:.4f} F1 {f1:.4f}  time {elapsed:.1f} s  records {len(rows)}")
    else:
        print(f"{args.label}  {len(set(predicted.values()))} clusters  time {elapsed:.1f} s  records {len(rows)}")


if __name__ == "__main__":
    main()
