//! Cart area, texts: the messages for its error codes, in Russian and English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "quantity.malformed" => ("Количество должно быть числом.", "The quantity must be a number."),
        "quantity.not_positive" => ("Количество должно быть больше нуля.", "The quantity must be above zero."),
        "quantity.fraction_not_allowed" => {
            ("Этот товар продаётся только целыми штуками.", "This product is sold in whole units only.")
        }
        "quantity.too_precise" => ("Не больше трёх знаков после запятой.", "At most three digits after the point."),
        "quantity.too_large" => ("Слишком большое количество.", "The quantity is too large."),
        "quick_order.unknown_sku" => ("Артикул не найден в каталоге.", "No product has this article."),
        "quick_order.no_quantity" => ("Не указано количество.", "No quantity given."),
        "quick_order.too_many_lines" => ("Не больше 1000 строк за раз.", "At most 1000 lines at a time."),
        "quick_order.too_large" => ("Слишком большой список.", "The list is too large."),
        "quick_order.file_empty" => ("Файл пуст.", "The file is empty."),
        "quick_order.file_unreadable" => (
            "Не удалось прочитать файл: нужен .xlsx или .csv в UTF-8.",
            "The file could not be read: an .xlsx or a UTF-8 .csv is needed.",
        ),
        "cart.empty" => ("Корзина пуста.", "The cart is empty."),
        _ => return None,
    })
}
