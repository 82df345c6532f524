//! Amounts in words for invoices (сумма прописью): «Сто двадцать три рубля 45 копеек».

const UNITS_M: [&str; 10] = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
const UNITS_F: [&str; 10] = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
const TEENS: [&str; 10] = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const TENS: [&str; 10] =
    ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"];
const HUNDREDS: [&str; 10] =
    ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"];

/// The Russian plural form for `n`: one (1, 21), few (2–4, 22–24), many (5–20, 25…).
pub fn plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

fn triple(n: u64, feminine: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = ((n / 100) as usize, (n / 10 % 10) as usize, (n % 10) as usize);
    out.push(HUNDREDS[h]);
    if t == 1 {
        out.push(TEENS[u]);
    } else {
        out.push(TENS[t]);
        out.push(if feminine { UNITS_F[u] } else { UNITS_M[u] });
    }
}

/// A whole number (below 10¹⁵) in words, e.g. `1 002 003` → «один миллион две тысячи три».
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return "ноль".into();
    }
    // (divisor, feminine, one, few, many)
    let scales: [(u64, bool, &str, &str, &str); 5] = [
        (1_000_000_000_000, false, "триллион", "триллиона", "триллионов"),
        (1_000_000_000, false, "миллиард", "миллиарда", "миллиардов"),
        (1_000_000, false, "миллион", "миллиона", "миллионов"),
        (1_000, true, "тысяча", "тысячи", "тысяч"),
        (1, false, "", "", ""),
    ];
    let mut words: Vec<&'static str> = Vec::new();
    let mut rest = n.min(999_999_999_999_999);
    let mut parts: Vec<String> = Vec::new();
    for (div, feminine, one, few, many) in scales {
        let chunk = rest / div;
        rest %= div;
        if chunk == 0 {
            continue;
        }
        words.clear();
        triple(chunk, feminine, &mut words);
        let mut text: Vec<&str> = words.iter().copied().filter(|w| !w.is_empty()).collect();
        let scale = plural(chunk, one, few, many);
        if !scale.is_empty() {
            text.push(scale);
        }
        parts.push(text.join(" "));
    }
    parts.join(" ")
}

/// Kopecks in words as invoices write them: «Сто двадцать три рубля 45 копеек».
pub fn rubles_in_words(kopecks: i64) -> String {
    let minus = kopecks < 0;
    let k = kopecks.unsigned_abs();
    let (rub, kop) = (k / 100, k % 100);
    let mut text = number_in_words(rub);
    if minus {
        text = format!("минус {text}");
    }
    let mut chars = text.chars();
    let capitalised: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    format!(
        "{capitalised} {} {kop:02} {}",
        plural(rub, "рубль", "рубля", "рублей"),
        plural(kop, "копейка", "копейки", "копеек")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::both;

    both! {
        fn amounts_read_as_accountants_write_them() {
            assert_eq!(rubles_in_words(12_345), "Сто двадцать три рубля 45 копеек");
            assert_eq!(rubles_in_words(100), "Один рубль 00 копеек");
            assert_eq!(rubles_in_words(1_101), "Одиннадцать рублей 01 копейка");
            assert_eq!(rubles_in_words(0), "Ноль рублей 00 копеек");
            assert_eq!(rubles_in_words(20_000_212), "Двести тысяч два рубля 12 копеек");
            assert_eq!(number_in_words(2_021_000), "два миллиона двадцать одна тысяча");
            assert_eq!(number_in_words(1_000_000_001), "один миллиард один");
            assert_eq!(number_in_words(14), "четырнадцать");
            assert_eq!(number_in_words(111_111), "сто одиннадцать тысяч сто одиннадцать");
            assert_eq!(rubles_in_words(-50), "Минус ноль рублей 50 копеек");
        }
    }
}
