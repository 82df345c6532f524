//! Payments area, texts: the messages for its error codes, in Russian and English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "payment.succeeded" => ("Оплачен онлайн", "Paid online"),
        "payment.refunded" => ("Деньги возвращены покупателю", "The money was returned to the buyer"),
        "payment.declined" => ("Оплата отклонена", "Payment declined"),
        "payment.not_payable" => ("Этот заказ нельзя оплатить онлайн.", "This order cannot be paid online."),
        "payment.unavailable" => (
            "Онлайн-оплата сейчас недоступна. Выберите другой способ оплаты.",
            "Online payment is not available now. Please choose another way to pay.",
        ),
        "refund.more_than_sold" => ("Нельзя вернуть больше, чем продано.", "You cannot return more than was sold."),
        "refund.not_positive" => {
            ("Количество к возврату должно быть больше нуля.", "The quantity to return must be above zero.")
        }
        "return.non_returnable" => ("Этот товар возврату не подлежит.", "This product cannot be returned."),
        "return.window_ended" => ("Срок возврата истёк.", "The return period has ended."),
        "return.warranty_expired" => ("Гарантийный срок истёк.", "The warranty has expired."),
        _ => return None,
    })
}
