//! Ordering area, texts: its interface phrases and the messages for its error codes, in Russian and
//! English.

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
        "status.unpaid" => ("Этот заказ собирают после оплаты.", "This order is assembled once it is paid."),
        "status.wrong_fulfilment" => (
            "Заказ на самовывоз готовят к выдаче, заказ с доставкой — отгружают.",
            "A pickup order is made ready for pickup; a delivery order is shipped.",
        ),
        "order.unpaid_expired" => {
            ("Отменён: не оплачен вовремя, резерв снят.", "Cancelled: not paid in time, the reservation was released.")
        }
        "queue.number" => ("Введите число цифрами.", "Enter a number in digits."),
        "queue.date" => ("Введите дату как 2026-11-30.", "Enter a date like 2026-11-30."),
        "queue.range" => ("Начало диапазона больше конца.", "The start of the range is after its end."),
        "status.reason_required" => ("Укажите причину отмены.", "Give the reason for cancelling."),
        "status.changed" => (
            "Статус заказа только что изменился. Обновите страницу.",
            "The order's status has just changed. Please reload the page.",
        ),
        "status.partly_shipped" => (
            "Часть заказа уже отгружена: отменить его нельзя, оформите возврат.",
            "Part of the order has already been shipped: it cannot be cancelled; make a return instead.",
        ),
        "assembly.not_now" => (
            "На этом этапе заказа сборку или отгрузку записать нельзя.",
            "Assembly or a shipment cannot be recorded at this stage of the order.",
        ),
        "assembly.lines_changed" => {
            ("Состав заказа изменился. Обновите страницу.", "The order's lines have changed. Please reload the page.")
        }
        "assembly.changed" => (
            "Сборку этого заказа только что изменили. Обновите страницу.",
            "The assembly of this order has just changed. Please reload the page.",
        ),
        "assembly.invalid" => ("Проверьте количества в строках.", "Check the quantities in the lines."),
        "assembly.over_ordered" => ("Больше, чем заказано.", "More than ordered."),
        "assembly.below_shipped" => ("Меньше, чем уже отгружено.", "Less than has already been shipped."),
        "shipment.over_ordered" => ("Больше, чем осталось отгрузить.", "More than is left to ship."),
        "shipment.not_picked" => ("Столько ещё не собрано.", "That much has not been picked yet."),
        "shipment.empty" => ("Укажите, что уходит в этой отгрузке.", "Enter what leaves in this shipment."),
        "comment.empty" => ("Напишите комментарий.", "Write the comment."),
        "comment.too_long" => ("Комментарий длиннее 2000 знаков.", "The comment is over 2,000 characters."),
        "quantity.negative" => ("Количество не может быть отрицательным.", "A quantity cannot be negative."),
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

super::phrases! {
    orders_title: "Мои заказы", "My orders";
    cancel_order: "Отменить заказ", "Cancel the order";
    cancel_order_confirm: "Отменить заказ? Зарезервированные товары вернутся на склад.", "Cancel the order? The reserved goods go back to stock.";
    confirm_order: "Подтвердить заказ", "Confirm the order";
    cancel_reason: "Причина (необязательно)", "Reason (optional)";
    cancel_reason_required: "Причина отмены (её увидит покупатель)", "Reason for cancelling (the buyer sees it)";
    queue_title: "Заказы клиентов", "Client orders";
    queue_number: "Номер", "Number";
    queue_who: "Организация или покупатель", "Organisation or buyer";
    queue_from: "С даты", "From";
    queue_to: "По дату", "To";
    queue_min: "Сумма от, ₽", "Total from, ₽";
    queue_max: "Сумма до, ₽", "Total to, ₽";
    queue_channel: "Канал", "Channel";
    queue_any: "Любой", "Any";
    queue_sort: "Порядок", "Order";
    sort_newest: "Сначала новые", "Newest first";
    sort_oldest: "Сначала старые", "Oldest first";
    sort_largest: "Сначала крупные", "Largest first";
    sort_smallest: "Сначала небольшие", "Smallest first";
    queue_apply: "Показать", "Show";
    queue_all: "Все", "All";
    queue_empty: "Заказов по этим условиям нет.", "No orders match.";
    queue_manager: "Менеджер", "Manager";
    queue_no_manager: "Без менеджера", "No manager";
    queue_export: "Скачать Excel", "Download Excel";
    queue_back: "← Все заказы клиентов", "← All client orders";
    channel_site: "Сайт", "Site";
    channel_manager: "Менеджер", "Manager";
    channel_shop: "Магазин", "Shop";
    channel_dealer: "Дилер", "Dealer";
    channels_title: "Каналы продаж", "Sales channels";
    channels_intro: "Заказы с оплатой по счёту в отмеченных каналах собирают только после поступления оплаты; на каждый такой заказ бухгалтеру ставится проверка оплаты со сроком три банковских дня. Отсрочка платежа клиента на них не действует. Заказы с онлайн-оплатой всегда собирают после оплаты.", "Orders paid by invoice in the marked channels are assembled only once the payment arrives; each such order puts a payment check in the accountant's queue, due in three banking days. The client's payment deferral does not apply to them. Orders paid online are always assembled once paid.";
    channel_prepay: "Собирать заказы по счёту только после оплаты", "Assemble invoice orders only once paid";
    channel_open_checks: "Ждут оплаты", "Waiting for payment";
    hold_until: "Товары зарезервированы до", "The goods are reserved until";
    hold_until_hint: "(время московское). Если заказ не будет оплачен, он отменится и резерв снимется.", "(Moscow time). If the order is not paid by then, it is cancelled and the reservation released.";
    no_orders: "Заказов пока нет.", "No orders yet.";
    order_number: "Заказ №", "Order #";
    loyalty_title: "Накопительная скидка", "Loyalty discount";
    loyalty_tier: "Ваш уровень", "Your tier";
    loyalty_no_tier: "Уровень скидки ещё не достигнут", "No discount tier reached yet";
    loyalty_accumulated: "Покупок на сумму", "Purchases so far";
    loyalty_more: "До следующего уровня осталось", "To reach the next tier, buy for";
    account_created: "Заказ оформлен, кабинет создан. Ссылка для входа придёт SMS на ваш телефон.", "Order placed and account created. A sign-in link is on its way to your phone.";
    payment_succeeded: "Оплата прошла успешно.", "Payment succeeded.";
    payment_declined: "Оплата отклонена. Можно попробовать ещё раз.", "Payment declined. You can try again.";
    shipped: "отгружено", "shipped";
    awaiting_approval_hint: "Заказ превышает кредитный лимит и ждёт согласования руководителя.", "The order exceeds the credit limit and waits for a head's approval.";
    order_lines: "Состав заказа", "Lines";
    shipped_share: "Отгружено", "Shipped";
    handed_share: "Выдано", "Handed over";
    picked_share: "Собрано", "Picked";
    lines_shipped: "Позиций отгружено полностью:", "Lines shipped in full:";
    assembly_not_started: "Сборка заказа ещё не началась.", "Assembly has not started yet.";
    assembly_title: "Сборка и отгрузка", "Assembly and shipment";
    shipments: "Отгрузки", "Shipments";
    handovers: "Выдача", "Handed over";
    shipment_number: "Отгрузка №", "Shipment #";
    bank_payment: "Поступила оплата", "Payment received";
    bank_document_short: "п/п №", "payment order";
    schedule_set: "График платежей", "Payment schedule";
    handover_number: "Выдача №", "Handover #";
    ordered: "заказано", "ordered";
    picked: "Собрано", "Picked";
    picked_lower: "собрано", "picked";
    picked_total: "Собрано всего", "Picked in all";
    ship_now: "Отгрузить сейчас", "Ship now";
    pick_all: "Собрано всё", "All picked";
    save_picks: "Сохранить сборку", "Save picking";
    shipment_note: "Комментарий к отгрузке (накладная, перевозчик)", "Shipment note (waybill, carrier)";
    record_shipment: "Отгрузить", "Record the shipment";
    placed: "Оформлен", "Placed";
    comments: "Комментарии", "Comments";
    refund: "Возврат", "Refund";
    cancel_refund_hint: "Заказ оплачен: деньги вернутся полностью тем же способом, которым вы платили.", "The order is paid: the money goes back in full the way it was paid.";
    refund_done: "деньги вернулись", "returned";
    refund_waiting: "ожидает платёжную систему", "waiting for the payment provider";
    comment_internal: "внутренний", "internal";
    comment_label: "Написать менеджеру", "Write to the manager";
    comment_staff_label: "Комментарий", "Comment";
    comment_for_buyer: "Видно покупателю", "The buyer sees it";
    comment_send: "Отправить", "Send";
    via_cabinet: "кабинет покупателя", "buyer's cabinet";
    via_staff: "кабинет сотрудника", "staff cabinet";
    via_system: "система", "system";
    via_payment: "платёжная система", "payment provider";
    timeline: "История", "Timeline";
    next_steps: "Дальше", "Next";
    repeat_order: "Повторить заказ", "Repeat order";
    pay_now: "Оплатить онлайн", "Pay online";
}

/// This area's texts in the current language; re-read inside reactive closures.
pub fn t() -> &'static Texts {
    use leptos::prelude::Get;
    texts(super::use_locale().get())
}
