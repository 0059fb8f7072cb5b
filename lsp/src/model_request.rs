//! `rocky/model`: a model by document or by name — its name, file and settings — so editors
//! never apply the project format's naming rules themselves ("run this model", opening a model
//! clicked in a lineage graph).

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{TextDocumentIdentifier, Uri};

use crate::server::{query, Shared};

/// `rocky/model` parameters: `textDocument` alone asks for the model of that file (its `.sql`
/// or its sidecar); with `name`, for the model of that name (case-insensitive) in the
/// document's project. `name` alone looks in the first project.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelParams {
    #[serde(default)]
    pub text_document: Option<TextDocumentIdentifier>,
    #[serde(default)]
    pub name: Option<String>,
}

/// `rocky/model` result (`null` when there is no such model).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelReply {
    pub name: String,
    /// The model's `.sql` file.
    pub uri: Uri,
    /// Project-relative path of the `.sql` file.
    pub path: String,
    pub sidecar_uri: Option<Uri>,
    pub strategy: String,
    /// `catalog.schema.table` as configured.
    pub target: String,
    /// Upstream models, sorted.
    pub depends_on: Vec<String>,
}

pub async fn model(shared: &Shared, params: ModelParams) -> Result<Option<ModelReply>> {
    let snap = match &params.text_document {
        Some(doc) => shared.snapshot(&doc.uri),
        None if params.name.is_some() => {
            shared.roots().first().and_then(|r| shared.project_snapshot(r)).map(|(s, _)| s)
        }
        None => return Err(Error::invalid_params("give `textDocument`, `name`, or both")),
    };
    let Some(snap) = snap else { return Ok(None) };
    query(snap, move |conv, rel| {
        let a = conv.analysis();
        let info = match params.name {
            Some(name) => a.model(&name)?,
            None => a.model_of_file(rel)?,
        };
        Ok(info.map(|m| ModelReply {
            uri: conv.uri(&m.path),
            sidecar_uri: m.sidecar_path.as_deref().map(|s| conv.uri(s)),
            strategy: m.strategy.name().to_string(),
            target: m.target.to_string(),
            name: m.name,
            path: m.path,
            depends_on: m.depends_on,
        }))
    })
    .await
}
