//! Diagnostics: what every analysis layer reports, with a stable code and an exact byte range.

mod codes;
mod diagnostic;

pub use codes::Code;
pub use diagnostic::{Diagnostic, Fix, Related, Severity, TextRange};
