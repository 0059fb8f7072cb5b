//! `rocky-lsp`: the language server. Not built yet (its own milestone); says so instead of
//! pretending to serve.

fn main() {
    eprintln!("rocky-lsp: the language server is not available in this version yet; use `rocky check`");
    std::process::exit(2);
}
