//! Which state file a project uses. The CLI and the language server both call this, so they
//! always meet at one file.

use std::path::{Path, PathBuf};

use rocky_analysis::config::ProjectConfig;
use rocky_state::{locate_state_file, LocateRequest, Located};

/// Applies the location rule of `rocky_state::locate_state_file` to a loaded project: an
/// explicit `--state-path` (relative to `cwd`) wins, then `[state] path` (relative to the
/// project root), then the first pipeline's models folder, then the working directory.
pub fn locate_project_state(root: &Path, config: &ProjectConfig, cli_path: Option<&Path>, cwd: &Path) -> Located {
    let explicit = match (cli_path, config.state_path.as_deref()) {
        (Some(p), _) => Some(absolute_from(cwd, p)),
        (None, Some(p)) if !p.trim().is_empty() => Some(absolute_from(root, Path::new(p))),
        _ => None,
    };
    let models_dir = config.pipelines.first().and_then(|p| crate::pipeline_models_dir(&p.models)).map(|dir| {
        if dir.is_empty() {
            root.to_path_buf()
        } else {
            root.join(dir)
        }
    });
    locate_state_file(&LocateRequest { explicit, models_dir, cwd: cwd.to_path_buf() })
}

/// `path` as given if absolute, else joined onto `base`.
fn absolute_from(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocky_analysis::config::parse_project_config;
    use rocky_state::StateOrigin;

    fn config(text: &str) -> ProjectConfig {
        parse_project_config("rocky.toml", text).0
    }

    #[test]
    fn the_cli_path_wins_over_the_config_which_wins_over_the_models_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/models")).unwrap();
        let cfg = config("[pipeline.p]\ntype = \"transformation\"\nmodels = \"src/models/**/*.sql\"\n[state]\npath = \"var/s.redb\"\n");
        let cwd = root.join("elsewhere");

        let cli = locate_project_state(root, &cfg, Some(Path::new("x.redb")), &cwd);
        assert_eq!((cli.path, cli.origin), (cwd.join("x.redb"), StateOrigin::Explicit));
        let from_config = locate_project_state(root, &cfg, None, &cwd);
        assert_eq!(from_config.path, root.join("var/s.redb"));

        let cfg = config("[pipeline.p]\ntype = \"transformation\"\nmodels = \"src/models/**/*.sql\"\n");
        let default = locate_project_state(root, &cfg, None, &cwd);
        assert_eq!(default.path, root.join("src/models").join(rocky_state::STATE_FILE_NAME));
        assert_eq!(default.origin, StateOrigin::NewInModelsDir);
    }

    #[test]
    fn a_root_level_glob_keeps_the_state_file_at_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config("[pipeline.p]\ntype = \"transformation\"\nmodels = \"*.sql\"\n");
        let located = locate_project_state(dir.path(), &cfg, None, dir.path());
        assert_eq!(located.path, dir.path().join(rocky_state::STATE_FILE_NAME));
        assert!(located.warnings.is_empty());
    }
}
