"""Writes Spark's function catalog and coercion facts as JSON lines, asked of the engine itself.

Run by scripts/gen-spark-catalog.sh with a pyspark venv (local mode, no server). Every fact is an
answer of Spark's analyzer to `DESCRIBE QUERY`: nothing here is typed by hand except the bounded
matrix of argument types the probes use.

Lines (sorted, so a regeneration diffs cleanly):
  {"spark_version": V, "ansi": bool}
  {"fn": name, "k": kind, "usage": text, "nargs": [n…] | {"min": n} | null}  one per function
  {"sig": name, "a": [arg types], "r": result type | null (rejected), "n": output-name template}
  {"common": [a, b], "r": type | null}      CASE WHEN … THEN a ELSE b END
  {"op": op, "a": [l, r], "r": type | null} binary operators
  {"cast": [from, to], "ok": bool}          explicit CAST accepted at analysis time
"""
import itertools
import logging
import time
import json
import re
import sys

from pyspark.sql import SparkSession

OUT = sys.argv[1]
STARTED = time.time()

# The probe matrix: one column of each type in a view `p` (its names are `c0`, `c1`, …, unique
# enough to find again in an output name and replace with a placeholder).
TYPES = [
    "boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "decimal(10,2)",
    "string", "binary", "date", "timestamp", "timestamp_ntz", "array<int>", "array<string>",
    "map<string,int>", "struct<a:int,b:string>", "interval day to second",
]

# Second and third arguments are drawn from a smaller set to keep the matrix bounded.
SMALL = ["int", "bigint", "double", "decimal(10,2)", "string", "date", "timestamp", "array<int>", "boolean"]
TINY = ["int", "string", "double", "array<int>"]
COL = {t: f"c{i}" for i, t in enumerate(TYPES)}
# Two more decimals for the decimal rules of arithmetic and common types.
EXTRA = ["decimal(5,1)", "decimal(38,10)", "decimal(20,0)", "void"]
for i, t in enumerate(EXTRA):
    COL[t] = f"x{i}"

spark = (
    SparkSession.builder.master("local[1]")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "1")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("OFF")
# PySpark logs every captured analysis error with its stack trace: half the cost of a rejection.
logging.disable(logging.CRITICAL)
# One column per type and argument position (`c3`, `d3`, …), so an output name's arguments can be
# told apart even when two have the same type.
POSITIONS = "cdef"


def argcol(t, pos):
    return POSITIONS[pos] + COL[t][1:] if COL[t][0] == "c" else COL[t] + "_" + POSITIONS[pos]


cols = ", ".join(
    f"{'NULL' if t == 'void' else f'CAST(NULL AS {t})'} AS {argcol(t, pos)}" for t in COL for pos in range(len(POSITIONS))
)
spark.sql(f"CREATE OR REPLACE TEMP VIEW p AS SELECT {cols}, CAST(NULL AS INT) AS ord")
jvm_session = spark._jsparkSession


def analyze(sql):
    try:
        fields = jvm_session.sql(sql).schema().fields()
        return [(f.name(), f.dataType().catalogString()) for f in fields], None
    except Exception as e:  # the message starts with the error class, ends with the position
        return None, str(e)


ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def describe_many(exprs, combos=None):
    """(name, type) of each expression in one `SELECT e1, e2, … FROM p`, None where Spark's
    analyzer rejects it ("pruned" where it was not asked; "constant" where an argument must be a
    constant). A rejected batch loses the expression at
    the error's position (or is split in halves when the error has none), so successes cost one
    analysis per batch. With `combos` (the argument types of each expression), an
    UNEXPECTED_INPUT_TYPE rejection of parameter k also drops the other expressions with the same
    type at k unasked (they would be rejected alike; they are left out of the catalog, not
    recorded as rejections: Spark checks each parameter's type on its own)."""
    out = [None] * len(exprs)
    todo = list(range(len(exprs)))
    while todo:
        done, bad, err = batch([exprs[i] for i in todo])
        if done is not None:
            for i, r in zip(todo, done):
                out[i] = r
            break
        if bad is None:  # no position: one at a time
            for i in todo:
                d, _, _ = batch([exprs[i]])
                out[i] = d[0] if d else None
            break
        i = todo[bad]
        # An argument that must be a constant (`round(x, 2)`, `ntile(4)`): not a type error.
        out[i] = "constant" if "NON_FOLDABLE_INPUT" in (err or "") else None
        todo = [j for j in todo if j != i]
        m = re.search(r"UNEXPECTED_INPUT_TYPE\].*?The (first|second|third|fourth) parameter", err or "", re.S)
        if combos is not None and m:
            k = ORDINALS[m.group(1)]
            if k < len(combos[i]):
                same = [j for j in todo if len(combos[j]) > k and combos[j][k] == combos[i][k]]
                for j in same:
                    out[j] = "pruned"
                todo = [j for j in todo if j not in same]
    return out


def batch(exprs):
    """Analyzes one SELECT of the expressions: (results, None, None), or (None, index of the
    rejected expression or None, message)."""
    starts, pos = [], len("SELECT ")
    for e in exprs:
        starts.append(pos)
        pos += len(e) + 2
    cols, err = analyze("SELECT " + ", ".join(exprs) + " FROM p")
    if cols is not None and len(cols) == len(exprs):
        return cols, None, None
    if cols is not None:  # a generator's several columns
        if len(exprs) == 1:
            return [None], None, None
        return None, None, "several columns"
    m = re.search(r"line 1 pos (\d+)", err or "")
    if m:
        p = int(m.group(1))
        cands = [i for i, s in enumerate(starts) if s <= p]
        if cands and p < starts[cands[-1]] + len(exprs[cands[-1]]):
            return None, cands[-1], err
    if len(exprs) == 1:
        return None, 0, err
    return None, None, err


lines = []
version = spark.version
ansi = spark.conf.get("spark.sql.ansi.enabled") == "true"
lines.append({"spark_version": version, "ansi": ansi})

# Functions: kind and usage from DESCRIBE FUNCTION EXTENDED.
names = [r[0] for r in spark.sql("SHOW FUNCTIONS").collect()]
names = [n for n in names if re.fullmatch(r"[a-z_][a-z0-9_]*", n)]




def kind_of(name, text):
    m = re.search(r"Class: (\S+)", text)
    cls = m.group(1) if m else ""
    # Aggregates live in catalyst's `expressions.aggregate` package (`ArrayAggregate`, the
    # higher-order `aggregate`, does not).
    if ".aggregate." in cls:
        return "aggregate"
    if cls.endswith(("RowNumber", "Rank", "DenseRank", "PercentRank", "CumeDist", "NTile", "Lag", "Lead", "NthValue")):
        return "window"
    if cls.endswith(("Explode", "PosExplode", "Inline", "Stack", "JsonTuple", "ExplodeOuter", "Inline Outer")) or "Generator" in cls or name in ("explode", "explode_outer", "posexplode", "posexplode_outer", "inline", "inline_outer", "stack", "json_tuple"):
        return "generator"
    return "scalar"


fn_info = {}
for name in names:
    try:
        rows = spark.sql(f"DESCRIBE FUNCTION EXTENDED `{name}`").collect()
        text = "\n".join(r[0] for r in rows)
    except Exception:
        text = ""
    usage = ""
    m = re.search(r"Usage: (.*?)(?:\nExtended Usage:|\Z)", text, re.S)
    if m:
        usage = " ".join(m.group(1).split())[:600]
    fn_info[name] = (kind_of(name, text), usage)

def engine_arity(name):
    """What a zero-argument call's WRONG_NUM_ARGS error says a function takes: `[n, …]` exactly,
    `{"min": n}` for variadic ones, or None (the call binds, or the error says nothing)."""
    cols, err = analyze(f"SELECT {name}() FROM p")
    if cols is not None or err is None or "WRONG_NUM_ARGS" not in err:
        return None
    m = re.search(r"requires (\[[^\]]*\]|\d+|> \d+|>= \d+) parameters", err)
    if not m:
        return None
    t = m.group(1)
    if t.startswith("["):
        return [int(x) for x in re.findall(r"\d+", t)]
    if t.startswith(">"):
        return {"min": int(re.findall(r"\d+", t)[0]) + (0 if ">=" in t else 1)}
    return [int(t)]


def usage_arities(name, usage, nargs):
    """The argument counts the usage text shows (`f(a, b[, c])`: 2 and 3; `f(a, ...)`: 1 to 3);
    a variadic function's from its minimum."""
    found = set()
    for m in re.finditer(rf"\b{re.escape(name)}\(([^()]*(?:\([^()]*\)[^()]*)*)\)", usage):
        inner = m.group(1).strip()
        if not inner:
            found.add(0)
            continue
        required = re.sub(r"\[.*", "", inner)
        n = len([a for a in required.split(",") if a.strip()])
        opt = inner.count("[,") + inner.count("[ ,")
        if "..." in inner:
            found.update(range(max(n, 1), max(n, 1) + 3))
        else:
            found.update(range(n, n + opt + 1))
    if isinstance(nargs, dict):
        found = {n for n in found if n >= nargs["min"]} or set(range(nargs["min"], nargs["min"] + 3))
    return found


def arities(name, usage, nargs):
    """The argument counts a function takes: the engine's WRONG_NUM_ARGS list together with the
    usage text's (the engine's list is not always complete: `ceil()` says 2, `ceil(x)` binds)."""
    found = usage_arities(name, usage, nargs)
    if isinstance(nargs, list):
        found |= set(nargs)
    return sorted(found) or [1, 2]


# Functions whose probes would be nondeterministic or slow, and SQL keywords with their own syntax.
SKIP = {"raise_error", "assert_true", "java_method", "reflect", "try_reflect", "sleep", "input_file_name",
        "between", "case", "if", "in", "like", "ilike", "rlike", "regexp", "and", "or", "not"}
# Argument types per arity: every type alone, then pairs and triples seen in Spark's signatures.
ARGS = {
    0: [()],
    1: [(t,) for t in TYPES],
    2: sorted({(t, u) for t in ["int", "bigint", "double", "decimal(10,2)", "string", "date", "timestamp", "array<int>", "array<string>", "map<string,int>", "binary", "boolean"]
               for u in [t, "int", "string"]} | {("int", "bigint"), ("bigint", "int"), ("int", "double"), ("double", "int"), ("string", "date"), ("string", "timestamp"), ("date", "date"), ("timestamp", "timestamp"), ("date", "timestamp")}),
    3: [("int", "int", "int"), ("string", "int", "int"), ("string", "string", "string"), ("double", "double", "double"),
        ("array<int>", "int", "int"), ("string", "string", "int"), ("decimal(10,2)", "decimal(10,2)", "decimal(10,2)"),
        ("bigint", "bigint", "bigint"), ("date", "int", "int"), ("string", "int", "string"), ("boolean", "int", "int")],
    4: [("int",) * 4, ("string",) * 4, ("string", "int", "int", "string"), ("double",) * 4],
}


# A constant of each type, for parameters that must be constants.
LITERAL = {
    "boolean": "true", "tinyint": "1Y", "smallint": "1S", "int": "1", "bigint": "1L", "float": "CAST(1 AS FLOAT)",
    "double": "1.0D", "decimal(10,2)": "CAST(1 AS DECIMAL(10,2))", "string": "'a'", "binary": "X'01'",
    "date": "DATE'2024-01-01'", "timestamp": "TIMESTAMP'2024-01-01 00:00:00'",
    "timestamp_ntz": "TIMESTAMP_NTZ'2024-01-01 00:00:00'", "array<int>": "array(1)", "array<string>": "array('a')",
    "map<string,int>": "map('a', 1)", "struct<a:int,b:string>": "named_struct('a', 1, 'b', 'x')",
    "interval day to second": "INTERVAL '1' DAY",
}


def template(name_text, argcols):
    for i, c in enumerate(argcols):
        name_text = re.sub(rf"\b{c}\b", f"${i + 1}", name_text)
    return name_text


for i, name in enumerate(sorted(fn_info)):
    if i % 50 == 0:
        print(f"{time.time() - STARTED:.0f} s: {i} functions probed", flush=True)
    kind, usage = fn_info[name]
    nargs = None if name in SKIP else engine_arity(name)
    ar = None if name in SKIP else arities(name, usage, nargs)
    if isinstance(nargs, list):
        nargs = ar
    ar = [n for n in ar or [] if n <= 4]
    lines.append({"fn": name, "k": kind, "usage": usage, "nargs": nargs})
    if not ar:
        continue
    combos = [c for n in ar for c in ARGS.get(n, [])]
    over = " OVER (ORDER BY ord)" if kind == "window" else ""
    exprs = [f"{name}({', '.join(argcol(t, i) for i, t in enumerate(c))}){over}" for c in combos]
    if kind == "generator":
        got = [describe_many([e])[0] for e in exprs]
    else:
        got = describe_many(exprs, combos)
    # Arguments that must be constants: asked again with literals of the same types (the output
    # name then holds the literals, so these give types, not name templates).
    again = [i for i, r in enumerate(got) if r == "constant"]
    retried = describe_many([f"{name}({', '.join(LITERAL[t] for t in combos[i])}){over}" for i in again])
    for i, r in zip(again, retried):
        got[i] = ("", r[1]) if isinstance(r, tuple) else r
    for combo, res in zip(combos, got):
        if res == "constant":
            continue
        if res == "pruned":
            lines.append({"sig": name, "a": list(combo), "r": None})
            continue
        if isinstance(res, tuple) and not res[0]:
            lines.append({"sig": name, "a": list(combo), "r": res[1]})
            continue
        if res is not None:
            n = template(res[0], [argcol(t, i) for i, t in enumerate(combo)])
            lines.append({"sig": name, "a": list(combo), "r": res[1], "n": n})
        else:  # rejected: the analysis may report these exact argument types as an error
            lines.append({"sig": name, "a": list(combo), "r": None})

# Coercion facts: the common type of two values, binary operators, explicit casts.
PAIR = ["boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "decimal(10,2)", "decimal(5,1)",
        "decimal(38,10)", "decimal(20,0)", "string", "binary", "date", "timestamp", "timestamp_ntz",
        "array<int>", "array<string>", "interval day to second", "void"]
def pairs(fmt):
    out = []
    for a in PAIR:
        got = describe_many([fmt.format(a=argcol(a, 0), b=argcol(b, 1)) for b in PAIR])
        out.extend(((a, b), r) for b, r in zip(PAIR, got))
    return out
for (a, b), r in pairs("CASE WHEN true THEN {a} ELSE {b} END"):
    lines.append({"common": [a, b], "r": r[1] if r else None})
for op in ["+", "-", "*", "/", "%", "div", "||", "=", "<", "<=>", "&"]:
    for (a, b), r in pairs("({a} " + op + " {b})"):
        lines.append({"op": op, "a": [a, b], "r": r[1] if r else None})
for op in ["-", "~"]:
    for a, r in zip(PAIR, describe_many([f"({op} {argcol(a, 0)})" for a in PAIR])):
        lines.append({"op": op, "a": [a], "r": r[1] if r else None})
for a in PAIR:
    got = describe_many([f"CAST({argcol(a, 0)} AS {b})" for b in TYPES])
    for b, r in zip(TYPES, got):
        lines.append({"cast": [a, b], "ok": r is not None})

lines.sort(key=lambda l: json.dumps(l, sort_keys=True))
with open(OUT, "w") as f:
    for line in lines:
        f.write(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n")
print(f"{time.time() - STARTED:.0f} s: {sum(1 for l in lines if 'fn' in l)} functions, {sum(1 for l in lines if 'sig' in l)} signatures")
