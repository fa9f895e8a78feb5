//! `spark.read.text`: one row per line in a single `value` string column.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::sync::Arc;

use datafusion::arrow::array::StringBuilder;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::{DataFusionError, Result};

use super::file_scan::FileDecoder;
use super::paths::InputFile;

const BATCH_ROWS: usize = 8192;

#[derive(Debug)]
pub struct TextDecoder;

impl FileDecoder for TextDecoder {
    fn name(&self) -> &str {
        "text"
    }

    fn options(&self) -> std::collections::HashMap<String, String> {
        std::collections::HashMap::new()
    }

    fn decode(&self, file: &InputFile, schema: SchemaRef) -> Result<Box<dyn Iterator<Item = Result<RecordBatch>> + Send>> {
        let f = File::open(&file.path).map_err(|e| DataFusionError::Execution(format!("{}: {e}", file.path.display())))?;
        let mut lines = BufReader::with_capacity(1 << 20, f).lines();
        let mut done = false;
        Ok(Box::new(std::iter::from_fn(move || {
            if done {
                return None;
            }
            let mut b = StringBuilder::new();
            let mut n = 0;
            while n < BATCH_ROWS {
                match lines.next() {
                    Some(Ok(line)) => {
                        b.append_value(line.strip_suffix('\r').unwrap_or(&line));
                        n += 1;
                    }
                    Some(Err(e)) => return Some(Err(DataFusionError::Execution(e.to_string()))),
                    None => {
                        done = true;
                        break;
                    }
                }
            }
            if n == 0 {
                return None;
            }
            Some(RecordBatch::try_new(Arc::clone(&schema), vec![Arc::new(b.finish())]).map_err(Into::into))
        })))
    }
}
