//! Quick order (быстрый заказ): lines of `article quantity` pasted from a spreadsheet or an e-mail,
//! or rows of an uploaded .csv/.xlsx. This module reads the lines; which articles exist and whether
//! a quantity suits the product's unit is decided once the products are looked up.

use serde::{Deserialize, Serialize};

/// At most this many lines are read from one paste or file.
pub const MAX_LINES: usize = 1000;

/// A line that names an article and a quantity (not yet checked against the catalog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedLine {
    /// 1-based line (row) number in what the person gave.
    pub line: usize,
    pub sku: String,
    pub quantity: String,
}

/// A line that could not be read, with the reason's stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedLine {
    pub line: usize,
    pub text: String,
    pub code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedLines {
    pub lines: Vec<RequestedLine>,
    pub rejected: Vec<RejectedLine>,
}

impl ParsedLines {
    pub fn reject(&mut self, line: usize, text: &str, code: &str) {
        self.rejected.push(RejectedLine { line, text: text.chars().take(120).collect(), code: code.into() });
    }
}

/// Splits one pasted line into article and quantity: by tab or `;` when there is one, otherwise the
/// last run of spaces separates them (articles may contain spaces, quantities may use a comma).
pub fn split_line(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let (sku, qty) = if let Some(i) = line.find(['\t', ';']) {
        let (a, b) = line.split_at(i);
        (a, b[1..].split(['\t', ';']).next().unwrap_or(""))
    } else {
        let i = line.rfind(char::is_whitespace)?;
        line.split_at(i)
    };
    let (sku, qty) = (sku.trim(), qty.trim());
    (!sku.is_empty() && !qty.is_empty()).then(|| (sku.to_string(), qty.to_string()))
}

fn looks_like_quantity(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// Reads pasted text: one `article quantity` per line; blank lines are skipped; a first line whose
/// quantity is not a number is taken for a header.
pub fn parse_text(text: &str) -> ParsedLines {
    let rows = text.lines().enumerate().map(|(i, l)| (i + 1, l.to_string(), split_line(l)));
    collect(rows)
}

/// Reads rows of cells (from .csv or .xlsx): the first two non-empty cells are article and quantity.
pub fn parse_rows(rows: impl IntoIterator<Item = Vec<String>>) -> ParsedLines {
    let rows = rows.into_iter().enumerate().map(|(i, cells)| {
        let cells: Vec<String> = cells.into_iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        let text = cells.join(" ");
        let pair = (cells.len() >= 2).then(|| (cells[0].clone(), cells[1].clone()));
        (i + 1, text, pair)
    });
    collect(rows)
}

/// Splits a CSV line by `;`, tab or `,` (whichever the first line uses), honouring quotes.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = [';', '\t', ','].into_iter().find(|d| first.contains(*d)).unwrap_or(';');
    text.lines()
        .map(|line| {
            let mut cells = vec![String::new()];
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        chars.next();
                        if let Some(s) = cells.last_mut() {
                            s.push('"')
                        }
                    }
                    '"' => quoted = !quoted,
                    c if c == delimiter && !quoted => cells.push(String::new()),
                    c => {
                        if let Some(s) = cells.last_mut() {
                            s.push(c)
                        }
                    }
                }
            }
            cells
        })
        .collect()
}

fn collect(rows: impl Iterator<Item = (usize, String, Option<(String, String)>)>) -> ParsedLines {
    let mut out = ParsedLines::default();
    let mut seen_content = false;
    for (line, text, pair) in rows {
        if text.trim().is_empty() {
            continue;
        }
        if line > MAX_LINES {
            out.reject(line, &text, "quick_order.too_many_lines");
            break;
        }
        let first = !seen_content;
        seen_content = true;
        match pair {
            Some((_, qty)) if first && !looks_like_quantity(&qty) => {} // a header row
            Some((sku, quantity)) if looks_like_quantity(&quantity) => {
                out.lines.push(RequestedLine { line, sku, quantity })
            }
            _ => out.reject(line, &text, "quick_order.no_quantity"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn pasted_lines() {
            let parsed = parse_text("Артикул\tКол-во\nBX-ECO4S-24 2\n\nRAD 500/10;10\nPPR-20 12,5\nбез количества\n  VLV-15  3 ");
            let got: Vec<_> = parsed.lines.iter().map(|l| (l.line, l.sku.as_str(), l.quantity.as_str())).collect();
            assert_eq!(got, vec![(2, "BX-ECO4S-24", "2"), (4, "RAD 500/10", "10"), (5, "PPR-20", "12,5"), (7, "VLV-15", "3")]);
            assert_eq!(parsed.rejected.len(), 1);
            assert_eq!(parsed.rejected[0].line, 6);
            assert_eq!(parsed.rejected[0].code, "quick_order.no_quantity");
        }
    }

    both! {
        fn csv_and_rows() {
            let rows = csv_rows("sku;qty\n\"A;1\";2\nB;1,5\n");
            assert_eq!(rows[1], vec!["A;1".to_string(), "2".to_string()]);
            let parsed = parse_rows(rows);
            assert_eq!(parsed.lines.len(), 2);
            assert_eq!(parsed.lines[1].quantity, "1,5");
            let comma = csv_rows("A,3\nB,4");
            assert_eq!(parse_rows(comma).lines.len(), 2);
        }
    }

    both! {
        fn too_many_lines_are_refused() {
            let text = (0..MAX_LINES + 5).map(|i| format!("A{i} 1")).collect::<Vec<_>>().join("\n");
            let parsed = parse_text(&text);
            assert_eq!(parsed.lines.len(), MAX_LINES);
            assert_eq!(parsed.rejected[0].code, "quick_order.too_many_lines");
        }
    }
}
