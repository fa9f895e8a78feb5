//! Spark's `sentences(text[, language, country])`: the text split into sentences, each a list
//! of its words (punctuation dropped), as Java's `BreakIterator` splits English text: a
//! sentence ends at `.`, `!` or `?` followed by a space or the end; a word is a run of
//! letters and digits, with inner apostrophes and periods kept (`don't`, `3.5`).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

/// `sentences`.
pub fn sentences() -> Arc<ScalarUDF> {
    let words = DataType::List(Arc::new(Field::new("element", DataType::Utf8, true)));
    crate::udfs::udf("sentences", &[1, 2, 3], DataType::List(Arc::new(Field::new("element", words, true))), evaluate)
}

fn evaluate(a: &[ArrayRef]) -> Result<ArrayRef> {
    let text = crate::udfs::strings(&a[0])?;
    let element = |t: DataType| Arc::new(Field::new("element", t, true));
    let words = ListBuilder::new(StringBuilder::new()).with_field(element(DataType::Utf8));
    let mut out = ListBuilder::new(words).with_field(element(DataType::List(element(DataType::Utf8))));
    for s in text.iter() {
        let Some(s) = s else {
            out.append(false);
            continue;
        };
        for sentence in split(s) {
            for word in sentence {
                out.values().values().append_value(word);
            }
            out.values().append(true);
        }
        out.append(true);
    }
    Ok(Arc::new(out.finish()))
}

/// The words of each sentence of `s` (sentences without words left out).
fn split(s: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = s.chars().collect();
    let mut sentences = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let joins = |c: char| matches!(c, '\'' | '.' | ',' | '’');
        if c.is_alphanumeric() || (joins(c) && !word.is_empty() && next.is_some_and(char::is_alphanumeric)) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) && !words.is_empty() {
            sentences.push(std::mem::take(&mut words));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    if !words.is_empty() {
        sentences.push(words);
    }
    sentences
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_sentences_and_words() {
        assert_eq!(super::split("Hi there! Good morning."), vec![vec!["Hi", "there"], vec!["Good", "morning"]]);
        assert_eq!(super::split("It's 3.5 km."), vec![vec!["It's", "3.5", "km"]]);
    }
}
