//! The loader on real folders: root discovery, globs, file kinds, bad files, single-file reloads.

use std::path::Path;

use rocky_analysis::config::Strategy;
use rocky_loader::{
    find_root, load_file, load_project, read_text, FileKind, LoadError, LoadedProject, ReadError, MAX_FILE_BYTES,
};

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, rel: &str, text: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn load(dir: &tempfile::TempDir) -> LoadedProject {
    load_project(dir.path()).expect("project loads")
}

fn paths(p: &LoadedProject) -> Vec<String> {
    p.host.model_paths().map(String::from).collect()
}

const CONFIG: &[u8] = b"[adapter]\ntype = \"duckdb\"\npath = \"db.duckdb\"\n";

#[test]
fn finds_the_root_from_any_folder_or_file_inside() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a/b/c.sql", b"select 1 as x")]);
    let root = std::path::absolute(dir.path()).expect("absolute");
    for start in ["", "models", "models/a/b", "models/a/b/c.sql"] {
        assert_eq!(find_root(&dir.path().join(start)).expect("found"), root, "{start}");
    }
}

#[test]
fn no_project_and_missing_paths_are_errors_with_hints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = find_root(dir.path()).expect_err("no rocky.toml");
    assert!(matches!(e, LoadError::NoProject { .. }), "{e}");
    assert!(e.to_string().contains("no rocky.toml found in"), "{e}");
    assert!(e.hint().contains("rocky init"));
    let e = load_project(&dir.path().join("missing")).err().expect("missing path");
    assert!(matches!(e, LoadError::NotFound { .. }), "{e}");
}

#[test]
fn loads_models_at_any_depth_with_sidecars_and_defaults() {
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/a.sql", b"select 1 as id"),
        ("models/staging/deep/er/b.sql", b"select id from a"),
        ("models/staging/deep/er/b.toml", b"[strategy]\ntype = \"view\"\n"),
        ("models/staging/_defaults.toml", b"[target]\nschema = \"staging\"\n"),
        ("models/README.md", b"not a model"),
        ("models/.hidden/x.sql", b"select 1"),
        ("models/node_modules/y.sql", b"select 1"),
        ("models/orphan.toml", b"name = \"nobody\"\n"),
        ("analyses/z.sql", b"select 1"),
        ("data/seed.sql", b"create table t (x int)"),
    ]);
    let p = load(&dir);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.models, ["models/a.sql", "models/staging/deep/er/b.sql"]);
    assert_eq!(paths(&p), p.models, "project-relative paths with `/` reach the analysis");
    let mut host = p.host;
    let analysis = host.analysis();
    let b = analysis.model("b").expect("not cancelled").expect("model b");
    assert_eq!(b.sidecar_path.as_deref(), Some("models/staging/deep/er/b.toml"));
    assert_eq!(b.strategy, Strategy::View);
    assert_eq!(b.target.schema, "staging", "_defaults.toml of a parent folder applies");
    assert_eq!(b.target.catalog, "db");
    assert_eq!(
        analysis.file_text("models/staging/_defaults.toml").as_deref(),
        Some("[target]\nschema = \"staging\"\n")
    );
}

#[test]
fn custom_globs_and_several_pipelines() {
    let dir = project(&[
        (
            "rocky.toml",
            b"[pipeline.a]\nmodels = \"sql/**/*.sql\"\n[pipeline.b]\nmodels = \"more\"\n[pipeline.c]\nmodels = \"sql/x/**\"\n[pipeline.ingest]\ntype = \"replication\"\nmodels = \"nowhere/**\"\n",
        ),
        ("sql/x/a.sql", b"select 1 as a"),
        ("sql/x/a.toml", b"name = \"alpha\"\n"),
        ("sql/_defaults.toml", b"[target]\nschema = \"s\"\n"),
        ("more/b.sql", b"select 1 as b"),
        ("models/ignored.sql", b"select 1"),
    ]);
    let p = load(&dir);
    assert!(p.problems.is_empty(), "other pipeline types are not loaded: {:?}", p.problems);
    assert_eq!(p.models, ["more/b.sql", "sql/x/a.sql"], "each file once, even when globs overlap");
    let kinds: Vec<FileKind> =
        ["sql/x/a.sql", "sql/x/a.toml", "sql/_defaults.toml", "more/b.sql", "models/ignored.sql", "rocky.toml"]
            .iter()
            .map(|f| p.layout.classify(f))
            .collect();
    use FileKind::*;
    assert_eq!(kinds, [Model, Sidecar, Defaults, Model, Other, ProjectConfig]);
    let mut host = p.host;
    let a = host.analysis().model("alpha").expect("not cancelled").expect("sidecar sets the name");
    assert_eq!(a.target.schema, "s");
}

#[test]
fn default_pipeline_is_models_and_a_missing_folder_is_a_problem() {
    let dir = project(&[("rocky.toml", CONFIG)]);
    let p = load(&dir);
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert_eq!(p.problems[0].path, "rocky.toml");
    assert!(p.problems[0].message.contains("`models` does not exist"), "{:?}", p.problems[0]);
    assert_eq!(p.problems[0].range, None, "no `models` setting to point at");
}

#[test]
fn glob_problems_point_at_the_setting() {
    let text = "[pipeline.a]\nmodels = \"missing/**\"\n[pipeline.b]\nmodels = \"m/[x\"\n[pipeline.c]\nmodels = \"../elsewhere/**\"\n[pipeline.d]\nmodels = \"m/**\"\n";
    let dir = project(&[("rocky.toml", text.as_bytes()), ("m/ok.sql", b"select 1 as x")]);
    let p = load(&dir);
    let pointed: Vec<&str> = p
        .problems
        .iter()
        .map(|pr| {
            let r = pr.range.expect("located");
            &text[r.start as usize..r.end as usize]
        })
        .collect();
    assert_eq!(pointed, ["\"missing/**\"", "\"m/[x\"", "\"../elsewhere/**\""], "{:?}", p.problems);
    assert!(p.problems[0].message.contains("`missing` of pipeline `a` does not exist"));
    assert!(p.problems[1].message.contains("invalid models glob"));
    assert!(p.problems[2].message.contains("outside the project"));
    assert_eq!(p.models, ["m/ok.sql"], "the valid pipeline still loads");
}

#[test]
fn bad_files_are_problems_and_the_rest_loads() {
    let big = vec![b' '; MAX_FILE_BYTES as usize + 1];
    let dir = project(&[
        ("rocky.toml", CONFIG),
        ("models/bad.sql", b"select \xff from t"),
        ("models/big.sql", &big),
        ("models/good.sql", b"select 1 as x"),
        ("models/good.toml", b"name = \"\xfe\"\n"),
        ("models/_defaults.toml", b"\xff"),
    ]);
    let p = load(&dir);
    let mut problems: Vec<(&str, &str)> = p.problems.iter().map(|p| (p.path.as_str(), p.hint.as_str())).collect();
    problems.sort();
    assert_eq!(problems.len(), 4, "{:?}", p.problems);
    assert_eq!(problems[0].0, "models/_defaults.toml");
    assert_eq!(problems[1].0, "models/bad.sql");
    assert!(problems[1].1.starts_with("save the file as UTF-8"));
    assert_eq!(problems[2].0, "models/big.sql");
    assert!(problems[2].1.contains("split the file"));
    assert_eq!(problems[3].0, "models/good.toml");
    assert_eq!(p.models, ["models/good.sql"]);
}

#[test]
fn non_utf8_rocky_toml_is_a_problem_but_still_used() {
    let dir =
        project(&[("rocky.toml", b"# caf\xe9\n[pipeline.p]\nmodels = \"sql/**\"\n"), ("sql/a.sql", b"select 1 as x")]);
    let p = load(&dir);
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert_eq!(p.problems[0].path, "rocky.toml");
    assert_eq!(p.models, ["sql/a.sql"]);
}

#[test]
fn read_text_errors_are_typed() {
    let dir = project(&[("a.sql", b"select 1"), ("b.sql", b"\xc3\x28")]);
    assert_eq!(read_text(&dir.path().join("a.sql")).expect("reads"), "select 1");
    assert!(matches!(read_text(&dir.path().join("b.sql")), Err(ReadError::NotUtf8 { valid_up_to: 0 })));
    let missing = read_text(&dir.path().join("c.sql")).expect_err("missing");
    assert!(matches!(missing, ReadError::Io(_)));
    assert!(!missing.hint().is_empty());
}

#[test]
fn single_file_reloads_for_the_language_server() {
    let dir = project(&[("rocky.toml", CONFIG), ("models/a.sql", b"select 1 as x")]);
    let mut p = load(&dir);
    let root = dir.path();
    // A new model with its sidecar.
    write(root, "models/b.sql", b"select x from a");
    write(root, "models/b.toml", b"[strategy]\ntype = \"view\"\n");
    assert_eq!(load_file(&mut p.host, &p.layout, "models/b.sql"), Ok(FileKind::Model));
    let b = p.host.analysis().model("b").expect("not cancelled").expect("b loaded");
    assert_eq!(b.strategy, Strategy::View, "the sidecar came with the model");
    // The sidecar is edited, then deleted.
    write(root, "models/b.toml", b"[strategy]\ntype = \"ephemeral\"\n");
    assert_eq!(load_file(&mut p.host, &p.layout, "models/b.toml"), Ok(FileKind::Sidecar));
    assert_eq!(p.host.analysis().model("b").expect("ok").expect("b").strategy, Strategy::Ephemeral);
    std::fs::remove_file(root.join("models/b.toml")).expect("rm");
    load_file(&mut p.host, &p.layout, "models/b.toml").expect("removal is not a problem");
    assert_eq!(p.host.analysis().model("b").expect("ok").expect("b").strategy, Strategy::FullRefresh);
    // A model becomes unreadable: removed, and reported.
    write(root, "models/b.sql", b"\xff");
    let problem = load_file(&mut p.host, &p.layout, "models/b.sql").expect_err("not UTF-8");
    assert_eq!(problem.path, "models/b.sql");
    assert_eq!(paths(&p), ["models/a.sql"]);
    // A deleted model disappears; defaults come and go; other files are left alone.
    std::fs::remove_file(root.join("models/a.sql")).expect("rm");
    assert_eq!(load_file(&mut p.host, &p.layout, "models/a.sql"), Ok(FileKind::Model));
    assert!(paths(&p).is_empty());
    write(root, "models/_defaults.toml", b"[target]\nschema = \"x\"\n");
    assert_eq!(load_file(&mut p.host, &p.layout, "models/_defaults.toml"), Ok(FileKind::Defaults));
    assert!(p.host.analysis().file_text("models/_defaults.toml").is_some());
    assert_eq!(load_file(&mut p.host, &p.layout, "notes.txt"), Ok(FileKind::Other));
    assert_eq!(p.layout.relative(&p.root.join("models").join("x.sql")).as_deref(), Some("models/x.sql"));
}

#[cfg(unix)]
#[test]
fn symlinked_folders_are_followed_and_loops_reported() {
    let dir = project(&[("rocky.toml", CONFIG), ("shared/s.sql", b"select 1 as s"), ("models/a.sql", b"select 1")]);
    std::os::unix::fs::symlink(dir.path().join("shared"), dir.path().join("models/shared")).expect("symlink");
    std::os::unix::fs::symlink(dir.path().join("models"), dir.path().join("models/loop")).expect("symlink");
    let p = load(&dir);
    assert_eq!(p.models, ["models/a.sql", "models/shared/s.sql"]);
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert!(p.problems[0].hint.contains("symbolic link"), "{:?}", p.problems[0]);
}
