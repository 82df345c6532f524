//! Catalog search text (поиск по каталогу): how product texts and queries are cut into terms.
//!
//! The server's catalog index (`server/src/db/catalog/index`) is built from the text made here,
//! so search answers the same on SQLite and PostgreSQL: Russian word forms are reduced by a
//! light suffix-stripping stemmer (котлы, котла, котлом → котл; настенный, настенного → настенн),
//! `ё` is read as `е`, and every query term matches as a prefix, so partial words find products
//! (радиат → радиаторы). Article numbers and sizes keep their digits and letters (`DN20`, `3/4`
//! becomes `3 4`).

/// Endings removed from Russian words, longest first. A stem keeps at least [`MIN_STEM`] letters.
const ENDINGS: &[&str] = &[
    // adjectives and participles
    "ейшими",
    "ейшего",
    "ейшему",
    "ейшая",
    "ейшее",
    "ейший",
    "ейшие",
    "ующими",
    "ующего",
    "ующему",
    "ующая",
    "ующее",
    "ующий",
    "ующие",
    "ующую",
    "ыми",
    "ими",
    "ого",
    "его",
    "ому",
    "ему",
    "ая",
    "яя",
    "ое",
    "ее",
    "ые",
    "ие",
    "ый",
    "ий",
    "ой",
    "ую",
    "юю",
    "ых",
    "их",
    "ым",
    "им",
    // nouns
    "ями",
    "ами",
    "иями",
    "ией",
    "иях",
    "ях",
    "ах",
    "ов",
    "ев",
    "ей",
    "ью",
    "ья",
    "ье",
    "ии",
    "ия",
    "ам",
    "ям",
    "ом",
    "ем",
    "а",
    "я",
    "ы",
    "и",
    "у",
    "ю",
    "е",
    "о",
    "ь",
    "й",
];

const MIN_STEM: usize = 3;

fn is_cyrillic(c: char) -> bool {
    matches!(c, 'а'..='я' | 'ё')
}

/// The stem of one lower-case term.
pub fn stem(term: &str) -> String {
    let term = term.replace('ё', "е");
    if !term.chars().all(is_cyrillic) {
        return term;
    }
    let letters = term.chars().count();
    for ending in ENDINGS {
        if let Some(stem) = term.strip_suffix(ending)
            && stem.chars().count() >= MIN_STEM
            && letters > MIN_STEM
        {
            return stem.to_string();
        }
    }
    term
}

/// Lower-case words of a text: letters and digits, everything else separates.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase())
}

/// The text to index for a product: every word of every part, stemmed, space-separated.
pub fn index_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        for w in words(part) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&stem(&w));
        }
    }
    out
}

/// At most this many terms of a query are used; more would only slow the search down.
pub const MAX_TERMS: usize = 8;

/// The stemmed terms of a query (each to be matched as a prefix), without duplicates.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for w in words(query) {
        let s = stem(&w);
        if !terms.contains(&s) {
            terms.push(s);
        }
        if terms.len() == MAX_TERMS {
            break;
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn word_forms_share_a_stem() {
            for form in ["котлы", "котла", "котлом", "котлов", "котлами"] {
                assert_eq!(stem(form), "котл", "{form}");
            }
            assert_eq!(stem("настенный"), stem("настенного"));
            assert_eq!(stem("радиаторы"), stem("радиатор"));
            assert_eq!(stem("насосов"), "насос");
            assert_eq!(stem("ёмкость"), "емкост");
            // Short words and non-Russian terms stay as they are.
            assert_eq!(stem("кран"), "кран");
            assert_eq!(stem("dn20"), "dn20");
        }
    }

    both! {
        fn index_and_query_agree() {
            let text = index_text(["Котёл газовый настенный Baxi ECO-4s 24 кВт", "Котлы"]);
            for q in ["котлы газовые", "настенного котла", "baxi eco", "24 квт"] {
                for term in query_terms(q) {
                    assert!(text.split(' ').any(|w| w.starts_with(&term)), "{q}: {term} not in {text}");
                }
            }
            assert_eq!(query_terms("радиат"), vec!["радиат"]);
            assert_eq!(query_terms("  "), Vec::<String>::new());
            assert_eq!(query_terms("кран кран краны"), vec!["кран"]);
        }
    }

    both! {
        fn query_terms_are_only_letters_and_digits() {
            let terms = query_terms("труба \"PPR\" 20*3,4) OR -x");
            assert_eq!(terms, ["труб", "ppr", "20", "3", "4", "or", "x"]);
            assert_eq!(query_terms("Котлы 24"), ["котл", "24"]);
            assert_eq!(query_terms(&"а ".repeat(50)).len(), 1);
        }
    }
}
