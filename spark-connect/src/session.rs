//! One Spark Connect session: `ExecutePlan` for SQL, `AnalyzePlan` for a query's schema,
//! `Interrupt` for Ctrl-C, `FetchErrorDetails` for an error's position.

use std::time::Duration;

use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};

use crate::error::{parse_error_context, strip_plan, ErrorKind, QueryContext, SparkError};
use crate::proto::spark_connect_service_client::SparkConnectServiceClient;
use crate::proto::{
    analyze_plan_request, analyze_plan_response, command, execute_plan_response, interrupt_request, plan, relation,
    AnalyzePlanRequest, Command, ConfigRequest, DataType, ExecutePlanRequest, FetchErrorDetailsRequest,
    InterruptRequest, KeyValue, Plan, Relation, ReleaseSessionRequest, Sql, SqlCommand, UserContext,
};
use crate::table::{append_ipc, Column, Table};
use crate::types::type_string;
use crate::url::ConnectionString;

/// The client type and user agent Rocky announces.
const CLIENT_TYPE: &str = "rocky";
/// Spark's own limit for one message (`spark.connect.grpc.maxInboundMessageSize`); tonic's
/// default of 4 MiB is smaller than some Arrow batches.
const MAX_MESSAGE_SIZE: usize = 128 * 1024 * 1024;

/// A session on a Spark Connect server. Cloning shares the session; [`SparkSession::new_session`]
/// opens another one over the same connection (temporary views and settings are per session).
#[derive(Clone)]
pub struct SparkSession {
    client: SparkConnectServiceClient<Channel>,
    headers: MetadataMap,
    endpoint: String,
    session_id: String,
    user_id: String,
}

impl SparkSession {
    /// Connects to `url` (`sc://host:port/;key=value;…`) and starts a fresh session (a new UUID).
    /// `token`, when given, is sent as `authorization: Bearer …` instead of the URL's.
    pub async fn connect(url: &str, token: Option<String>) -> Result<SparkSession, SparkError> {
        let mut conn = ConnectionString::parse(url)?;
        if let Some(token) = token {
            conn.set_token(token);
        }
        let endpoint = conn.endpoint();
        let mut channel = Endpoint::from_shared(endpoint.clone())
            .map_err(|e| SparkError::url(url, &e.to_string()))?
            .user_agent(conn.user_agent.as_deref().unwrap_or(CLIENT_TYPE))
            .map_err(|e| SparkError::url(url, &e.to_string()))?
            .connect_timeout(Duration::from_secs(10))
            .tcp_nodelay(true)
            .http2_keep_alive_interval(Duration::from_secs(30));
        if conn.use_ssl {
            channel = channel
                .tls_config(ClientTlsConfig::new().with_native_roots())
                .map_err(|e| SparkError::connect(&endpoint, e.to_string()))?;
        }
        let channel = channel.connect().await.map_err(|e| SparkError::connect(&endpoint, source_text(&e)))?;
        let mut headers = MetadataMap::new();
        if let Some(token) = &conn.token {
            let value = MetadataValue::try_from(format!("Bearer {token}"))
                .map_err(|_| SparkError::url(url, "the token is not a valid header value"))?;
            headers.insert("authorization", value);
        }
        for (key, value) in &conn.headers {
            let key = tonic::metadata::AsciiMetadataKey::from_bytes(key.as_bytes())
                .map_err(|_| SparkError::url(url, &format!("`{key}` is not a valid header name")))?;
            let value = MetadataValue::try_from(value.as_str())
                .map_err(|_| SparkError::url(url, &format!("the value of `{key}` is not a valid header value")))?;
            headers.insert(key, value);
        }
        let client = SparkConnectServiceClient::new(channel)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE);
        let user_id = conn.user_id.clone().or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "rocky".into());
        let session = SparkSession { client, headers, endpoint, session_id: new_id(), user_id };
        // Fail here, not at the first statement, when the server is not Spark Connect or refuses us.
        session.describe_query("SELECT 1").await?;
        Ok(session)
    }

    /// Another session over the same connection (a concurrent worker's own).
    pub fn new_session(&self) -> SparkSession {
        SparkSession { session_id: new_id(), ..self.clone() }
    }

    /// This session's id (a UUID).
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// Runs one SQL statement, a command (DDL, DML) or a query, and returns its result. Commands
    /// run in one round trip; a query's rows take a second one (`SqlCommand` answers a query with
    /// the relation to execute).
    pub async fn sql(&self, sql: &str) -> Result<Table, SparkError> {
        self.sql_tagged(sql, &[]).await
    }

    /// [`SparkSession::sql`] with operation tags, which [`SparkSession::interrupt_tag`] can cancel.
    pub async fn sql_tagged(&self, sql: &str, tags: &[String]) -> Result<Table, SparkError> {
        let command = Command {
            command_type: Some(command::CommandType::SqlCommand(SqlCommand {
                input: Some(sql_relation(sql)),
                ..Default::default()
            })),
        };
        let first = self.execute(plan::OpType::Command(command), tags).await?;
        match first.command_result {
            // A command ran; its result rows came back inline.
            Some(Relation { rel_type: Some(relation::RelType::LocalRelation(local)), .. }) => {
                let mut table = Table::default();
                if let Some(data) = local.data.filter(|d| !d.is_empty()) {
                    append_ipc(&mut table, &data)?;
                }
                Ok(table)
            }
            Some(relation) => Ok(self.execute(plan::OpType::Root(relation), tags).await?.table),
            None => Ok(first.table),
        }
    }

    /// The output columns of query `sql` without running it, with Spark's type strings as
    /// `DESCRIBE QUERY` prints them.
    pub async fn describe_query(&self, sql: &str) -> Result<Vec<Column>, SparkError> {
        Ok(struct_columns(&self.describe_query_schema(sql).await?))
    }

    /// The output schema of query `sql` without running it, as the protocol's `DataType` (a
    /// struct): what [`SparkSession::describe_query`] prints, with nested types kept apart.
    pub async fn describe_query_schema(&self, sql: &str) -> Result<DataType, SparkError> {
        let request = AnalyzePlanRequest {
            session_id: self.session_id.clone(),
            user_context: Some(self.user_context()),
            client_type: Some(CLIENT_TYPE.into()),
            analyze: Some(analyze_plan_request::Analyze::Schema(analyze_plan_request::Schema {
                plan: Some(Plan { op_type: Some(plan::OpType::Root(sql_relation(sql))) }),
            })),
            ..Default::default()
        };
        let response = match self.client.clone().analyze_plan(self.request(request)).await {
            Ok(response) => response.into_inner(),
            Err(status) => return Err(self.error(&status, sql).await),
        };
        match response.result {
            Some(analyze_plan_response::Result::Schema(analyze_plan_response::Schema { schema: Some(schema) })) => {
                Ok(schema)
            }
            _ => Err(SparkError::protocol("AnalyzePlan returned no schema".into())),
        }
    }

    /// Cancels every operation running in this session; they fail with
    /// [`ErrorKind::Interrupted`]. Returns the ids of the operations interrupted.
    pub async fn interrupt_all(&self) -> Result<Vec<String>, SparkError> {
        self.interrupt(interrupt_request::InterruptType::All, None).await
    }

    /// Cancels the operations of this session started with `tag`.
    pub async fn interrupt_tag(&self, tag: &str) -> Result<Vec<String>, SparkError> {
        self.interrupt(
            interrupt_request::InterruptType::Tag,
            Some(interrupt_request::Interrupt::OperationTag(tag.into())),
        )
        .await
    }

    /// Sets session configuration (`spark.sql.…`) in one round trip.
    pub async fn set_conf(&self, pairs: &[(&str, &str)]) -> Result<(), SparkError> {
        use crate::proto::config_request::{operation::OpType, Operation, Set};
        let request = ConfigRequest {
            session_id: self.session_id.clone(),
            user_context: Some(self.user_context()),
            client_type: Some(CLIENT_TYPE.into()),
            operation: Some(Operation {
                op_type: Some(OpType::Set(Set {
                    pairs: pairs
                        .iter()
                        .map(|(k, v)| KeyValue { key: k.to_string(), value: Some(v.to_string()) })
                        .collect(),
                    silent: None,
                })),
            }),
            ..Default::default()
        };
        match self.client.clone().config(self.request(request)).await {
            Ok(_) => Ok(()),
            Err(status) => Err(self.error(&status, "").await),
        }
    }

    /// Ends the session on the server (it would otherwise expire after its idle timeout).
    pub async fn close(&self) -> Result<(), SparkError> {
        let request = ReleaseSessionRequest {
            session_id: self.session_id.clone(),
            user_context: Some(self.user_context()),
            client_type: Some(CLIENT_TYPE.into()),
            ..Default::default()
        };
        match self.client.clone().release_session(self.request(request)).await {
            Ok(_) => Ok(()),
            Err(status) => Err(SparkError::from_status(&status, &self.endpoint).0),
        }
    }

    async fn interrupt(
        &self,
        kind: interrupt_request::InterruptType,
        interrupt: Option<interrupt_request::Interrupt>,
    ) -> Result<Vec<String>, SparkError> {
        let request = InterruptRequest {
            session_id: self.session_id.clone(),
            user_context: Some(self.user_context()),
            client_type: Some(CLIENT_TYPE.into()),
            interrupt_type: kind as i32,
            interrupt,
            ..Default::default()
        };
        match self.client.clone().interrupt(self.request(request)).await {
            Ok(response) => Ok(response.into_inner().interrupted_ids),
            Err(status) => Err(SparkError::from_status(&status, &self.endpoint).0),
        }
    }

    /// Runs one plan and gathers its response stream.
    async fn execute(&self, op: plan::OpType, tags: &[String]) -> Result<Executed, SparkError> {
        let request = ExecutePlanRequest {
            session_id: self.session_id.clone(),
            user_context: Some(self.user_context()),
            operation_id: Some(new_id()),
            plan: Some(Plan { op_type: Some(op.clone()) }),
            client_type: Some(CLIENT_TYPE.into()),
            tags: tags.to_vec(),
            ..Default::default()
        };
        let sql_text = sql_of(&op);
        let mut stream = match self.client.clone().execute_plan(self.request(request)).await {
            Ok(response) => response.into_inner(),
            Err(status) => return Err(self.error(&status, sql_text).await),
        };
        let mut executed = Executed::default();
        loop {
            let response = match stream.message().await {
                Ok(Some(response)) => response,
                Ok(None) => break,
                Err(status) => return Err(self.error(&status, sql_text).await),
            };
            if let Some(schema) = &response.schema {
                executed.table.columns = struct_columns(schema);
            }
            match response.response_type {
                // The Spark schema, sent before the batches, names the types; Arrow's only
                // approximate them, so they are used only without it.
                Some(execute_plan_response::ResponseType::ArrowBatch(batch)) => {
                    append_ipc(&mut executed.table, &batch.data)?
                }
                Some(execute_plan_response::ResponseType::SqlCommandResult(result)) => {
                    executed.command_result = result.relation;
                }
                _ => {}
            }
        }
        Ok(executed)
    }

    /// The error of a failed call, with the details (full message, query context) fetched when
    /// the status only summarizes them.
    async fn error(&self, status: &tonic::Status, sql: &str) -> SparkError {
        let (mut error, error_id) = SparkError::from_status(status, &self.endpoint);
        let Some(error_id) = error_id else { return error };
        let request = FetchErrorDetailsRequest {
            session_id: self.session_id.clone(),
            user_context: Some(self.user_context()),
            error_id,
            client_type: Some(CLIENT_TYPE.into()),
            ..Default::default()
        };
        let Ok(details) = self.client.clone().fetch_error_details(self.request(request)).await else { return error };
        let details = details.into_inner();
        let root = details.root_error_idx.and_then(|i| usize::try_from(i).ok()).and_then(|i| details.errors.get(i));
        if let Some(root) = root {
            if let Some(throwable) = &root.spark_throwable {
                error.error_class = throwable.error_class.clone().or(error.error_class);
                error.sqlstate = throwable.sql_state.clone().or(error.sqlstate);
                error.context = throwable.query_contexts.iter().find_map(|c| context_in(sql, c)).map(Box::new);
            }
            if error.context.is_none() {
                error.context = parse_error_context(sql, &root.message).map(Box::new);
            }
            if !root.message.is_empty() {
                error.message = root.message.clone();
                strip_plan(&mut error.message);
            }
        }
        if error.kind == ErrorKind::Server && error.error_class.as_deref() == Some("OPERATION_CANCELED") {
            error.kind = ErrorKind::Interrupted;
        }
        error
    }

    fn user_context(&self) -> UserContext {
        UserContext { user_id: self.user_id.clone(), user_name: self.user_id.clone(), ..Default::default() }
    }

    fn request<T>(&self, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        *request.metadata_mut() = self.headers.clone();
        request
    }
}

/// What one `ExecutePlan` returned.
#[derive(Default)]
struct Executed {
    table: Table,
    /// A `SqlCommand`'s answer: the rows of a command, or the relation of a query.
    command_result: Option<Relation>,
}

fn sql_relation(sql: &str) -> Relation {
    Relation { common: None, rel_type: Some(relation::RelType::Sql(Sql { query: sql.into(), ..Default::default() })) }
}

/// The SQL text a plan runs, to check an error's query context against.
fn sql_of(op: &plan::OpType) -> &str {
    let relation = match op {
        plan::OpType::Root(relation) => Some(relation),
        plan::OpType::Command(Command { command_type: Some(command::CommandType::SqlCommand(c)) }) => c.input.as_ref(),
        plan::OpType::Command(_) => None,
    };
    match relation.and_then(|r| r.rel_type.as_ref()) {
        Some(relation::RelType::Sql(sql)) => &sql.query,
        _ => "",
    }
}

/// A query context that points into `sql` (Spark's offsets count characters; these are bytes).
fn context_in(sql: &str, context: &crate::proto::fetch_error_details_response::QueryContext) -> Option<QueryContext> {
    if !context.object_type.is_empty() {
        return None; // inside a view's text, not the statement's
    }
    let start = usize::try_from(context.start_index).ok()?;
    let stop = usize::try_from(context.stop_index).ok()?;
    let byte = |chars: usize| sql.char_indices().nth(chars).map(|(b, _)| b);
    let start_byte = byte(start)?;
    let stop_byte = byte(stop).map(|b| b + sql[b..].chars().next().map_or(1, char::len_utf8) - 1)?;
    Some(QueryContext { start: start_byte, stop: stop_byte, fragment: context.fragment.clone() })
}

/// The fields of a struct type (a query's output columns); empty for any other type.
pub fn struct_columns(schema: &DataType) -> Vec<Column> {
    match &schema.kind {
        Some(crate::proto::data_type::Kind::Struct(fields)) => fields
            .fields
            .iter()
            .map(|f| Column {
                name: f.name.clone(),
                data_type: f.data_type.as_ref().map(type_string).unwrap_or_default(),
                nullable: f.nullable,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The innermost cause of a transport error ("Connection refused (os error 111)").
fn source_text(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    text
}
