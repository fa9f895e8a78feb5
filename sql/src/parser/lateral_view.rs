//! `LATERAL VIEW explode(a) t ORDER BY ...`: a lateral view without column aliases followed by
//! a clause sqlparser does not expect there. Its grammar reads the words after the view's name
//! as column aliases until `WHERE`, `GROUP`, `CLUSTER`, `HAVING` or `LATERAL`, so `ORDER`,
//! `LIMIT`, `UNION` and the like would be taken for an alias.
//!
//! Before sqlparser reads such a view, an alias of its own ([`NO_ALIASES`]) is placed after the
//! view's name; the analyzer reads the view as having no aliases (Spark's default columns).

use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Whitespace, Word};

/// The column alias that stands for none.
pub const NO_ALIASES: &str = "__ember_no_aliases";

/// Clauses that may follow a lateral view and that sqlparser would read as column aliases.
const CLAUSES: [Keyword; 11] = [
    Keyword::ORDER,
    Keyword::LIMIT,
    Keyword::OFFSET,
    Keyword::UNION,
    Keyword::EXCEPT,
    Keyword::INTERSECT,
    Keyword::MINUS,
    Keyword::SORT,
    Keyword::DISTRIBUTE,
    Keyword::WINDOW,
    Keyword::QUALIFY,
];

/// The tokens with [`NO_ALIASES`] after the name of every lateral view that a clause follows.
pub fn mark_views_without_aliases(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let significant: Vec<usize> = (0..tokens.len()).filter(|&i| !matches!(tokens[i].token, Token::Whitespace(_))).collect();
    let keyword = |at: Option<&usize>, k: Keyword| at.is_some_and(|&i| matches!(&tokens[i].token, Token::Word(w) if w.keyword == k));
    let mut insert_before = Vec::new();
    let mut n = 0;
    while n < significant.len() {
        if !(keyword(significant.get(n), Keyword::LATERAL) && keyword(significant.get(n + 1), Keyword::VIEW)) {
            n += 1;
            continue;
        }
        let mut at = n + 2;
        if keyword(significant.get(at), Keyword::OUTER) {
            at += 1;
        }
        // The generator call: a name and its parenthesized arguments.
        at += 1;
        let mut depth = 0usize;
        while let Some(&i) = significant.get(at) {
            match tokens[i].token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                _ => {}
            }
            at += 1;
            if depth == 0 {
                break;
            }
        }
        // The view's name, then the clause.
        let name = significant.get(at).filter(|&&i| matches!(tokens[i].token, Token::Word(_)));
        if let (Some(_), Some(&clause)) = (name, significant.get(at + 1))
            && CLAUSES.iter().any(|k| keyword(Some(&clause), *k))
        {
            insert_before.push(clause);
        }
        n = at;
    }
    let mut out = Vec::with_capacity(tokens.len() + 4 * insert_before.len());
    for (i, token) in tokens.into_iter().enumerate() {
        if insert_before.contains(&i) {
            let word = |value: &str, keyword: Keyword| Token::Word(Word { value: value.into(), quote_style: None, keyword });
            for t in [word("AS", Keyword::AS), Token::Whitespace(Whitespace::Space), word(NO_ALIASES, Keyword::NoKeyword)] {
                out.push(TokenWithSpan::wrap(t));
            }
            out.push(TokenWithSpan::wrap(Token::Whitespace(Whitespace::Space)));
        }
        out.push(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::tokenizer::Tokenizer;

    fn marked(sql: &str) -> String {
        let tokens = Tokenizer::new(&crate::parser::SparkDialect, sql).tokenize_with_location().unwrap_or_default();
        mark_views_without_aliases(tokens).iter().map(|t| t.token.to_string()).collect()
    }

    #[test]
    fn a_clause_after_the_view_name_is_no_alias() {
        assert_eq!(
            marked("SELECT * FROM t LATERAL VIEW explode(f(a, (b))) v ORDER BY 1"),
            format!("SELECT * FROM t LATERAL VIEW explode(f(a, (b))) v AS {NO_ALIASES} ORDER BY 1")
        );
        assert_eq!(
            marked("SELECT * FROM t LATERAL VIEW OUTER explode(a) v LIMIT 2"),
            format!("SELECT * FROM t LATERAL VIEW OUTER explode(a) v AS {NO_ALIASES} LIMIT 2")
        );
        assert_eq!(
            marked("SELECT * FROM t LATERAL VIEW explode(a) v AS c ORDER BY 1"),
            "SELECT * FROM t LATERAL VIEW explode(a) v AS c ORDER BY 1"
        );
        assert_eq!(
            marked("SELECT * FROM t LATERAL VIEW explode(a) v c ORDER BY 1"),
            "SELECT * FROM t LATERAL VIEW explode(a) v c ORDER BY 1"
        );
    }
}
