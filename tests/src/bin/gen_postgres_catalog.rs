//! Generates `analysis/src/dialect/postgres/catalog.jsonl` from a running PostgreSQL server's
//! system catalogs (`pg_type`, `pg_cast`, `pg_operator`, `pg_proc`, `pg_aggregate`), so the
//! analyzer's PostgreSQL types, casts, operators and functions are never written by hand.
//!
//! Usage: `gen-postgres-catalog URL [OUT]` (stdout when OUT is omitted). The output is
//! deterministic: a version line, then one JSON object per type, cast, operator and function,
//! each section ordered by stable keys (names and type names, not OIDs of the session).

use std::io::Write;

/// `pg_catalog`'s types a query can name: base, pseudo, range and multirange types (composite
/// row types of system tables are left out). `c` is `typcategory`, `p` `typispreferred`, `e` the
/// element of an array type, `f` `format_type(oid, NULL)` (how PostgreSQL prints the type).
const TYPES: &str = "
    SELECT json_build_object('t', t.oid::int8, 'n', t.typname, 'f', format_type(t.oid, NULL),
                             'c', t.typcategory, 'p', t.typispreferred, 'e', t.typelem::int8,
                             'y', t.typtype)::text
    FROM pg_type t
    WHERE t.typnamespace = 'pg_catalog'::regnamespace AND t.typtype IN ('b', 'p', 'r', 'm')
    ORDER BY t.typname";

/// Casts with their context (`i` implicit, `a` assignment, `e` explicit).
const CASTS: &str = "
    SELECT json_build_object('cast', json_build_array(c.castsource::int8, c.casttarget::int8, c.castcontext))::text
    FROM pg_cast c
    ORDER BY c.castsource::regtype::text, c.casttarget::regtype::text";

/// Operators (`l` 0 for prefix operators).
const OPERATORS: &str = "
    SELECT json_build_object('o', o.oprname, 'l', o.oprleft::int8, 'r', o.oprright::int8, 'res', o.oprresult::int8)::text
    FROM pg_operator o
    WHERE o.oprnamespace = 'pg_catalog'::regnamespace
    ORDER BY o.oprname, o.oprleft::regtype::text, o.oprright::regtype::text";

/// Functions callable from SQL (none taking or returning `internal`): `k` is `prokind`
/// (`f` function, `a` aggregate, `w` window), `a` the input argument types, `v` the variadic
/// element type (0 if none), `r` the result type, `s` whether it returns a set, `dflt` how many
/// trailing arguments have defaults; `out` the named result columns of a function returning a
/// record (`OUT` / `TABLE` parameters, e.g. `jsonb_each`'s key and value); `ord` marks
/// ordered-set aggregates (`WITHIN GROUP`).
const FUNCTIONS: &str = "
    SELECT json_build_object('fn', p.proname, 'k', p.prokind,
                             'a', string_to_array(nullif(p.proargtypes::text, ''), ' ')::int8[],
                             'v', p.provariadic::int8, 'r', p.prorettype::int8, 's', p.proretset,
                             'dflt', p.pronargdefaults,
                             'out', coalesce((SELECT json_agg(json_build_array(n, t::int8) ORDER BY i)
                                              FROM unnest(p.proargnames, p.proallargtypes, p.proargmodes)
                                                   WITH ORDINALITY AS x(n, t, m, i)
                                              WHERE m IN ('o', 't', 'b')), '[]'::json),
                             'ord', coalesce(a.aggkind <> 'n', false),
                             'd', coalesce(obj_description(p.oid, 'pg_proc'), ''))::text
    FROM pg_proc p LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
      AND p.prokind IN ('f', 'a', 'w')
      AND p.prorettype <> 'internal'::regtype
      AND NOT ('internal'::regtype = ANY (p.proargtypes::oid[]))
    ORDER BY p.proname, p.proargtypes::regtype[]::text, p.prorettype::regtype::text";

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("usage: gen-postgres-catalog URL [OUT]");
        std::process::exit(2);
    };
    let out = match generate(&url) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gen-postgres-catalog: {e}");
            std::process::exit(1);
        }
    };
    match args.next() {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, out) {
                eprintln!("gen-postgres-catalog: cannot write {path}: {e}");
                std::process::exit(1);
            }
        }
        None => {
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
    }
}

/// Returns the JSON-lines catalog text.
fn generate(url: &str) -> Result<String, String> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(|e| e.to_string())?;
    let version: String =
        client.query_one("SELECT current_setting('server_version_num')", &[]).map_err(|e| e.to_string())?.get(0);
    let mut out = serde_json::json!({ "postgres_version_num": version }).to_string();
    out.push('\n');
    for query in [TYPES, CASTS, OPERATORS, FUNCTIONS] {
        for row in client.query(query, &[]).map_err(|e| e.to_string())? {
            let line: String = row.get(0);
            // Re-serialised compactly (keys sorted), so the file does not depend on the server's
            // JSON spacing.
            let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
            out.push_str(&value.to_string());
            out.push('\n');
        }
    }
    Ok(out)
}
