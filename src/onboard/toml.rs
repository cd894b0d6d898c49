//! Writing TOML by hand for `init`: quoted strings and keys, so that any
//! header (quotes, backslashes, accents) reads back as written.

/// A TOML basic string: `"Libellé"`, with quotes, backslashes and control
/// characters escaped.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key, bare when TOML allows it (`id`, `id-prty`), quoted otherwise.
pub fn key(text: &str) -> String {
    let bare =
        !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        text.to_string()
    } else {
        string(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_keys_read_back() {
        assert_eq!(string("Libellé"), "\"Libellé\"");
        assert_eq!(string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(key("id-prty"), "id-prty");
        assert_eq!(key("M."), "\"M.\"");
    }
}
