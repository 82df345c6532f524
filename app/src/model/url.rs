//! Query strings: percent-encoding and decoding, the one implementation for pages, server
//! functions and plain routes.

/// Percent-encodes a query-string component (`/` may stand as it is in a query, and keeps
/// return paths readable).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes an `application/x-www-form-urlencoded` query string.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match std::str::from_utf8(&bytes[i + 1..i + 3])
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or(())
                    {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A path on this site to send a person to, from a `next`/`back` parameter: the one check every
/// redirect and every page that navigates to a given path uses. Where a redirect goes is decided by
/// the browser's URL rules, which drop tabs and line breaks anywhere, read `\` as `/` and `//host`
/// as another site; so a candidate with any control character or backslash, one that does not
/// start with exactly one `/`, or an overlong one is refused (`None`). What is accepted comes back
/// with everything but visible ASCII percent-encoded, so it is also a valid `Location` header.
pub fn local_path(candidate: &str) -> Option<String> {
    const LONGEST: usize = 2048;
    let mut chars = candidate.chars();
    if chars.next() != Some('/') || matches!(chars.next(), Some('/' | '\\')) || candidate.len() > LONGEST {
        return None;
    }
    if candidate.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let mut out = String::with_capacity(candidate.len());
    for c in candidate.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_that_stay_on_the_site() {
        assert_eq!(local_path("/orders/5?payment=paid").as_deref(), Some("/orders/5?payment=paid"));
        assert_eq!(
            local_path("/catalog?q=кран шаровой").as_deref(),
            Some("/catalog?q=%D0%BA%D1%80%D0%B0%D0%BD%20%D1%88%D0%B0%D1%80%D0%BE%D0%B2%D0%BE%D0%B9")
        );
        for hostile in [
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/home\r\nSet-Cookie: x=1",
            "\t//evil.example",
            "https://evil.example/",
            "evil",
            "",
            "/\u{7f}",
            "/a\\b",
        ] {
            assert_eq!(local_path(hostile), None, "{hostile:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), None);
        // What comes back is a valid header value.
        assert!(local_path("/ü x").unwrap().bytes().all(|b| b.is_ascii_graphic()));
    }
}
