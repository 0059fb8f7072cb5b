//! TLS for PostgreSQL as libpq users expect it, in pure Rust (rustls with the `ring` provider,
//! through `tokio-postgres-rustls`):
//!
//! - `disable`: no TLS; `prefer` (the default): TLS when the server offers it, else plain;
//!   `require`: TLS, the certificate is not checked — both as libpq without a root certificate;
//! - `verify-ca`: the certificate must chain to `sslrootcert` (else the system's roots);
//!   `verify-full`: that, and it must name the host connected to.
//!
//! Like libpq, `require` with a root certificate file (named, or `~/.postgresql/root.crt`)
//! verifies like `verify-ca`, and `sslrootcert = "system"` means the system's roots.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use postgres::config::SslMode;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode` values (`allow` behaves as `prefer`: Rocky never retries without TLS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Mode {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "disable" => Mode::Disable,
            "allow" | "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            _ => return None,
        })
    }

    /// What the client library does before the handshake (verification is rustls's job).
    pub fn ssl_mode(self) -> SslMode {
        match self {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }
}

/// Where trusted roots come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roots {
    /// The operating system's store (`sslrootcert = "system"`, or none given).
    System,
    /// A PEM file of CA certificates.
    File(PathBuf),
}

/// How certificates are checked, after libpq's rules for `sslmode` and a root certificate:
/// `None` checks nothing; `Some((roots, full))` checks the chain, and the host name if `full`.
pub fn verification(mode: Mode, rootcert: Option<&str>, home: Option<&str>) -> Option<(Roots, bool)> {
    let named = rootcert.map(|r| if r == "system" { Roots::System } else { Roots::File(PathBuf::from(r)) });
    let default_file =
        || home.map(|h| Path::new(h).join(".postgresql").join("root.crt")).filter(|p| p.is_file()).map(Roots::File);
    match mode {
        Mode::Disable | Mode::Prefer => None,
        Mode::Require => named.or_else(default_file).map(|roots| (roots, false)),
        Mode::VerifyCa | Mode::VerifyFull => {
            Some((named.or_else(default_file).unwrap_or(Roots::System), mode == Mode::VerifyFull))
        }
    }
}

/// The connector for `verification` (`Err`: a detail and a hint, when the roots cannot be read).
pub fn connector(verification: Option<&(Roots, bool)>) -> Result<MakeRustlsConnect, (String, String)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| (format!("TLS setup failed: {e}"), "report this as a Rocky bug".to_string()))?;
    let verifier: Arc<dyn ServerCertVerifier> = match verification {
        None => Arc::new(Lenient { provider, chain: None }),
        Some((roots, full)) => {
            let store = Arc::new(root_store(roots)?);
            let webpki = WebPkiServerVerifier::builder_with_provider(store, provider.clone())
                .build()
                .map_err(|e| (format!("TLS setup failed: {e}"), "check sslrootcert".to_string()))?;
            if *full {
                webpki
            } else {
                Arc::new(Lenient { provider, chain: Some(webpki) })
            }
        }
    };
    let config = builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn root_store(roots: &Roots) -> Result<RootCertStore, (String, String)> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::File(path) => {
            let unreadable = |e: &dyn std::fmt::Display| {
                (
                    format!("cannot read the root certificate file {}: {e}", path.display()),
                    "set sslrootcert (or PGSSLROOTCERT) to the PEM file of the CA that signed the server's certificate"
                        .to_string(),
                )
            };
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| unreadable(&e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| unreadable(&e))?;
            let (added, _) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(unreadable(&"it holds no usable PEM certificate"));
            }
        }
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err((
                    "no trusted root certificates found on this system".to_string(),
                    "set sslrootcert (or PGSSLROOTCERT) to the PEM file of the CA that signed the server's certificate"
                        .to_string(),
                ));
            }
        }
    }
    Ok(store)
}

/// What to do about a failed connection whose message is `text`, when TLS is the cause.
pub fn hint(text: &str, mode: Mode, host: &str) -> Option<String> {
    if text.contains("server does not support TLS") {
        return Some(format!(
            "the server does not accept TLS (sslmode = \"{}\"): turn on ssl in its postgresql.conf, or set sslmode = \"prefer\" (or \"disable\") on a trusted network",
            name(mode)
        ));
    }
    if text.contains("not valid for name") || text.contains("NotValidForName") {
        return Some(format!(
            "the server's certificate does not name `{host}`: connect with a host name the certificate lists, or use sslmode = \"verify-ca\" to check only the issuer"
        ));
    }
    if text.contains("UnknownIssuer") || text.contains("unknown issuer") {
        return Some(
            "the server's certificate is not signed by a trusted CA: set sslrootcert = \"/path/to/ca.crt\" in [adapter] (or PGSSLROOTCERT) to the CA that signed it".into(),
        );
    }
    if text.contains("invalid peer certificate") {
        return Some("the server's certificate was refused (see above): renew it, or check sslrootcert".into());
    }
    if text.contains("no encryption") {
        return Some(
            "the server accepts only TLS connections from here: set sslmode = \"require\" (or \"verify-full\")".into(),
        );
    }
    None
}

pub fn name(mode: Mode) -> &'static str {
    match mode {
        Mode::Disable => "disable",
        Mode::Prefer => "prefer",
        Mode::Require => "require",
        Mode::VerifyCa => "verify-ca",
        Mode::VerifyFull => "verify-full",
    }
}

/// The URL's `sslmode` and `sslrootcert` taken out of its query (the client library knows
/// neither `verify-*` nor `sslrootcert`): the rest of the URL, then the two values.
pub fn take_url_params(url: &str) -> (String, Option<String>, Option<String>) {
    let Some((base, query)) = url.split_once('?') else { return (url.to_string(), None, None) };
    let (mut mode, mut root, mut rest) = (None, None, Vec::new());
    for pair in query.split('&') {
        let decoded = |v: &str| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned();
        match pair.split_once('=') {
            Some(("sslmode", v)) => mode = Some(decoded(v)),
            Some(("sslrootcert", v)) => root = Some(decoded(v)),
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() { base.to_string() } else { format!("{base}?{}", rest.join("&")) };
    (url, mode, root)
}

/// `prefer`/`require` (`chain: None`): any certificate, as libpq checks none; `verify-ca`: the
/// chain must be trusted, the host name is not checked (webpki checks the chain before the
/// name, so a name error means the chain passed). Either way the handshake's signatures still
/// prove the server holds the certificate's key.
#[derive(Debug)]
struct Lenient {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else { return Ok(ServerCertVerified::assertion()) };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_tls_params_are_taken_out_and_decoded() {
        let (url, mode, root) =
            take_url_params("postgres://u@h/d?connect_timeout=3&sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.crt");
        assert_eq!(url, "postgres://u@h/d?connect_timeout=3");
        assert_eq!((mode.as_deref(), root.as_deref()), (Some("verify-full"), Some("/tmp/ca.crt")));
        assert_eq!(take_url_params("postgres://u@h/d?sslmode=require").0, "postgres://u@h/d");
    }

    #[test]
    fn require_verifies_only_with_a_root_certificate_like_libpq() {
        let no_home = Some("/nonexistent-home");
        assert_eq!(verification(Mode::Require, None, no_home), None);
        assert_eq!(verification(Mode::Require, Some("/ca.crt"), no_home), Some((Roots::File("/ca.crt".into()), false)));
        assert_eq!(verification(Mode::VerifyFull, None, no_home), Some((Roots::System, true)));
        assert_eq!(verification(Mode::VerifyCa, Some("system"), no_home), Some((Roots::System, false)));
        assert_eq!(verification(Mode::Prefer, Some("/ca.crt"), no_home), None);
    }
}
