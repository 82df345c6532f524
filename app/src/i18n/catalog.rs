//! Catalog area, texts: the messages for its error codes, in Russian and English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "money.malformed" => ("Введите сумму числом, например 12 500,00.", "Enter an amount, for example 12500.00."),
        "money.fraction_of_kopeck" => ("Не больше двух знаков после запятой.", "At most two digits after the point."),
        "money.too_large" => ("Слишком большая сумма.", "The amount is too large."),
        "money.negative" => ("Цена не может быть отрицательной.", "A price cannot be negative."),
        "stock.location" => ("Выберите склад или пункт выдачи.", "Choose a warehouse or pickup point."),
        "money.currency_mismatch" => ("Суммы в разных валютах.", "The amounts are in different currencies."),
        _ => return None,
    })
}
