//! libpq's password file (`PGPASSFILE`, else `~/.pgpass`): lines of
//! `hostname:port:database:username:password`, `*` matching anything, `\:` and `\\` escaped; the
//! first matching line wins; a file others can read is ignored (as libpq does, with a warning).
//! No maintained crate reads it, and the format is this small.

use std::path::{Path, PathBuf};

/// Where libpq looks: `PGPASSFILE`, else `$HOME/.pgpass`.
pub fn location(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("PGPASSFILE").map(PathBuf::from).or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))
}

/// The password for this connection from the file at `path`, with the line it came from.
/// `Err` carries a warning (the file is readable by others and was ignored).
pub fn lookup(path: &Path, host: &str, port: u16, dbname: &str, user: &str) -> Result<Option<(String, usize)>, String> {
    let Ok(text) = std::fs::read_to_string(path) else { return Ok(None) };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(format!(
                    "{} is readable by other users and was ignored (as libpq does); run `chmod 0600 {}`",
                    path.display(),
                    path.display()
                ));
            }
        }
    }
    let port = port.to_string();
    let wanted = [host, port.as_str(), dbname, user];
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split(line);
        if fields.len() < 5 {
            continue;
        }
        let matches =
            fields[..4].iter().zip(wanted).all(|(f, w)| f == "*" || f == w || (f == "localhost" && w.starts_with('/')));
        if matches {
            return Ok(Some((fields[4..].join(":"), n + 1)));
        }
    }
    Ok(None)
}

/// Splits one line on unescaped `:`, resolving `\:` and `\\`.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), fields.last_mut()) {
                    last.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, mode: u32) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
        f
    }

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let f = file(
            "# comment\nother:5432:*:etl:nope\ndb.internal:5433:shop:etl:pa\\:ss\\\\word\n*:*:*:etl:fallback\n",
            0o600,
        );
        let found = lookup(f.path(), "db.internal", 5433, "shop", "etl").unwrap();
        assert_eq!(found, Some(("pa:ss\\word".to_string(), 3)));
        assert_eq!(lookup(f.path(), "db.internal", 5432, "shop", "etl").unwrap(), Some(("fallback".into(), 4)));
        assert_eq!(lookup(f.path(), "db.internal", 5432, "shop", "bob").unwrap(), None);
        let socket = file("localhost:5432:*:*:sock\n", 0o600);
        assert_eq!(lookup(socket.path(), "/var/run/postgresql", 5432, "x", "y").unwrap(), Some(("sock".into(), 1)));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_ignored_with_a_warning() {
        let f = file("*:*:*:*:secret\n", 0o644);
        let err = lookup(f.path(), "h", 5432, "d", "u").unwrap_err();
        assert!(err.contains("chmod 0600"), "{err}");
    }

    #[test]
    fn location_follows_pgpassfile_then_home() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/ada".to_string()),
            _ => None,
        };
        assert_eq!(location(&env), Some(PathBuf::from("/home/ada/.pgpass")));
        let env = |k: &str| (k == "PGPASSFILE").then(|| "/etc/pw".to_string());
        assert_eq!(location(&env), Some(PathBuf::from("/etc/pw")));
    }
}
