//! Ordering area, texts: the messages for its error codes, in Russian and English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "checkout.fulfilment" => ("Выберите самовывоз или доставку.", "Choose pickup or delivery."),
        "checkout.payment" => ("Выберите доступный способ оплаты.", "Choose an available payment method."),
        "checkout.address" => (
            "Укажите адрес доставки полностью: город, улицу, дом.",
            "Give the full delivery address: city, street, building.",
        ),
        "checkout.too_long" => ("Слишком длинный текст.", "The text is too long."),
        "checkout.pickup_point" => ("Выберите пункт выдачи.", "Choose a pickup point."),
        "status.transition_not_allowed" => {
            ("Из этого статуса так перейти нельзя.", "The order cannot move to this status from its current one.")
        }
        "status.role_not_allowed" => ("Этот переход делает другая роль.", "Another role makes this move."),
        "schedule.empty" => ("Добавьте хотя бы один платёж.", "Add at least one instalment."),
        "schedule.not_positive" => ("Сумма платежа должна быть больше нуля.", "An instalment must be above zero."),
        "schedule.sum_mismatch" => {
            ("Сумма платежей не равна сумме заказа.", "The instalments do not add up to the order total.")
        }
        "schedule.dates_not_increasing" => {
            ("Даты платежей должны идти по порядку.", "Instalment dates must follow one another.")
        }
        _ => return None,
    })
}
