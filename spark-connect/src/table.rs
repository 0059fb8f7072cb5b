//! A result as text: columns with Spark's type strings and rows of `Option<String>`, decoded from
//! the Arrow IPC streams Spark Connect sends.

use arrow_array::RecordBatch;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_ipc::reader::StreamReader;

use crate::error::SparkError;
use crate::types::arrow_type_string;

/// One output column: its name, Spark's type string (`int`, `decimal(12,2)`, `array<int>`) and
/// whether it may be NULL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub data_type: String,
    pub nullable: bool,
}

/// A statement's result: its columns and its rows, every value printed as text (`None` for NULL).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl Table {
    /// The first column of the first row (`None` for NULL or no row).
    pub fn scalar(&self) -> Option<&str> {
        self.rows.first().and_then(|row| row.first()).and_then(|v| v.as_deref())
    }
}

/// Spark prints timestamps with a space and without a zone; the rest is Arrow's display.
fn format_options() -> FormatOptions<'static> {
    FormatOptions::default()
        .with_timestamp_format(Some("%Y-%m-%d %H:%M:%S%.f"))
        .with_timestamp_tz_format(Some("%Y-%m-%d %H:%M:%S%.f"))
        .with_date_format(Some("%Y-%m-%d"))
}

/// Appends the rows of one Arrow IPC stream (one or more record batches) to `table`; the first
/// stream also gives the columns when the server sent no Spark schema.
pub(crate) fn append_ipc(table: &mut Table, data: &[u8]) -> Result<(), SparkError> {
    let reader = StreamReader::try_new(data, None).map_err(|e| SparkError::protocol(format!("bad Arrow data: {e}")))?;
    if table.columns.is_empty() {
        table.columns = reader
            .schema()
            .fields()
            .iter()
            .map(|f| Column {
                name: f.name().clone(),
                data_type: arrow_type_string(f.data_type()),
                nullable: f.is_nullable(),
            })
            .collect();
    }
    for batch in reader {
        let batch = batch.map_err(|e| SparkError::protocol(format!("bad Arrow batch: {e}")))?;
        append_batch(table, &batch)?;
    }
    Ok(())
}

fn append_batch(table: &mut Table, batch: &RecordBatch) -> Result<(), SparkError> {
    let options = format_options();
    let formatters = batch
        .columns()
        .iter()
        .map(|array| ArrayFormatter::try_new(array.as_ref(), &options))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SparkError::protocol(format!("cannot print an Arrow column: {e}")))?;
    for row in 0..batch.num_rows() {
        table.rows.push(
            batch
                .columns()
                .iter()
                .zip(&formatters)
                .map(|(array, f)| (!array.is_null(row)).then(|| f.value(row).to_string()))
                .collect(),
        );
    }
    Ok(())
}
