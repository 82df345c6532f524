//! Uploads: the one guard every file from a person or a system passes before anything parses it
//! (order files now; 1C exchange archives, claim photos and supplier price lists next). It bounds
//! the size, recognises the type by content, checks a zip archive's entries (count, paths,
//! unpacked size and compression ratio) from its directory before any entry is inflated, and reads
//! spreadsheets cell by cell within row, column and cell caps — never allocating what a sheet
//! merely claims. Parsing runs on a blocking thread with a time limit.

use std::io::{Cursor, Read, Seek};
use std::time::Duration;

use crate::error::AppError;

/// What one kind of upload may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The file itself.
    pub max_bytes: usize,
    /// Entries of a zip archive (an .xlsx is one).
    pub max_entries: usize,
    /// All entries unpacked, by the sizes the archive declares (reading never exceeds them).
    pub max_unpacked: u64,
    /// Unpacked ÷ packed for one entry: a zip bomb packs gigabytes of zeros at ratios in the
    /// thousands; real spreadsheets stay below ~30.
    pub max_ratio: u64,
    pub max_rows: u32,
    pub max_columns: u32,
    pub max_cells: usize,
    /// Longest a parse may run.
    pub time_limit: Duration,
}

/// An order file: a thousand lines of article and quantity fit in a few dozen kilobytes.
pub const ORDER_FILE: Limits = Limits {
    max_bytes: 2 << 20,
    max_entries: 64,
    max_unpacked: 32 << 20,
    max_ratio: 200,
    max_rows: 5_000,
    max_columns: 50,
    max_cells: 100_000,
    time_limit: Duration::from_secs(10),
};

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A zip archive (an .xlsx workbook is one).
    Zip,
    /// UTF-8 text (CSV, TXT), without a byte-order mark.
    Text,
}

/// Why a file was refused: the error code of the `file` field.
fn refuse(code: &str) -> AppError {
    AppError::field("file", code)
}

/// The size and content type of a file, before anything reads it.
pub fn recognise(bytes: &[u8], limits: &Limits) -> Result<Kind, AppError> {
    if bytes.is_empty() {
        return Err(refuse("upload.empty"));
    }
    if bytes.len() > limits.max_bytes {
        return Err(refuse("upload.too_large"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Kind::Zip);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(text) {
        Ok(t) if !t.contains('\0') => Ok(Kind::Text),
        _ => Err(refuse("upload.unreadable")),
    }
}

/// Checks a zip archive from its central directory: entry count, each entry's path (relative,
/// no `..`, no backslashes or control characters), the declared unpacked total and every entry's
/// compression ratio. Nothing is inflated here.
pub fn check_zip<R: Read + Seek>(reader: R, limits: &Limits) -> Result<(), AppError> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|_| refuse("upload.unreadable"))?;
    if archive.len() > limits.max_entries {
        return Err(refuse("upload.too_many_entries"));
    }
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| refuse("upload.unreadable"))?;
        let name = entry.name().map_err(|_| refuse("upload.bad_entry"))?;
        let bad_path = name.starts_with('/')
            || name.contains('\\')
            || name.chars().any(char::is_control)
            || name.split('/').any(|part| part == "..")
            || entry.enclosed_name().is_none();
        if bad_path {
            return Err(refuse("upload.bad_entry"));
        }
        unpacked = unpacked.saturating_add(entry.size());
        if unpacked > limits.max_unpacked
            || entry.size() > entry.compressed_size().max(1).saturating_mul(limits.max_ratio)
        {
            return Err(refuse("upload.too_large_unpacked"));
        }
    }
    Ok(())
}

/// The first sheet of an .xlsx workbook as rows of text, read cell by cell: a cell beyond the row
/// or column cap, or more cells than the cap, refuses the file (whatever the sheet's declared
/// dimensions are, nothing is allocated for cells that are not there).
pub fn xlsx_rows(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Reader, Xlsx};
    check_zip(Cursor::new(bytes), limits)?;
    let unreadable = |_| refuse("upload.unreadable");
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(first) = book.sheet_names().into_iter().next() else { return Err(refuse("upload.empty")) };
    let mut cells = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        count += 1;
        if row >= limits.max_rows || column >= limits.max_columns || count > limits.max_cells {
            return Err(refuse("upload.too_many_cells"));
        }
        let (row, column) = (row as usize, column as usize);
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = calamine::Data::from(cell.get_value().clone()).to_string();
    }
    Ok(rows)
}

/// Runs a parse on a blocking thread, answering "took too long" after the limit (the thread
/// finishes on its own; the caps keep it short).
pub async fn parse_blocking<T: Send + 'static>(
    limits: &Limits,
    parse: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::time::timeout(limits.time_limit, tokio::task::spawn_blocking(parse)).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(refuse("upload.unreadable")),
        Err(_) => Err(refuse("upload.too_slow")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in entries {
                w.start_file(*name, options).unwrap();
                w.write_all(data).unwrap();
            }
            w.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn archives_are_judged_by_their_directory() {
        let fine = zip_of(&[("xl/worksheets/sheet1.xml", b"<worksheet/>")]);
        assert!(check_zip(Cursor::new(&fine), &ORDER_FILE).is_ok());
        for name in ["../evil.xml", "/etc/passwd", "a\\..\\b.xml", "a/../../b"] {
            let bad = zip_of(&[(name, b"x")]);
            assert_eq!(check_zip(Cursor::new(&bad), &ORDER_FILE), Err(refuse("upload.bad_entry")), "{name}");
        }
        // 16 MB of zeros packs into a few kilobytes: refused by its ratio before it is inflated.
        let bomb = zip_of(&[("xl/sharedStrings.xml", &vec![0u8; 16 << 20])]);
        assert!(bomb.len() < 100_000);
        assert_eq!(check_zip(Cursor::new(&bomb), &ORDER_FILE), Err(refuse("upload.too_large_unpacked")));
        let many: Vec<(String, Vec<u8>)> = (0..100).map(|i| (format!("f{i}.xml"), vec![b'a'])).collect();
        let many: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
        assert_eq!(check_zip(Cursor::new(zip_of(&many)), &ORDER_FILE), Err(refuse("upload.too_many_entries")));
    }

    #[test]
    fn types_are_recognised_by_content() {
        assert_eq!(recognise(b"", &ORDER_FILE), Err(refuse("upload.empty")));
        assert_eq!(recognise(b"\xEF\xBB\xBFA-1;2", &ORDER_FILE), Ok(Kind::Text));
        assert_eq!(recognise(b"\xff\xfe\x00", &ORDER_FILE), Err(refuse("upload.unreadable")));
        assert_eq!(recognise(&vec![b'a'; (2 << 20) + 1], &ORDER_FILE), Err(refuse("upload.too_large")));
    }
}
