//! spark-sql's variable substitution: `${name}` and `${hivevar:name}` from `--hivevar`/`-d`,
//! `${hiveconf:key}` from the session's settings. Unknown variables are left as written.

use std::collections::HashMap;

use crate::session::Session;

pub fn substitute(text: &str, vars: &HashMap<String, String>, session: &Session) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        let value = match name.split_once(':') {
            Some(("hivevar", n)) => vars.get(n).cloned(),
            Some(("hiveconf", k)) => session.conf_get(k),
            Some(("env", k)) => std::env::var(k).ok(),
            Some(_) => None,
            None => vars.get(name).cloned(),
        };
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}
