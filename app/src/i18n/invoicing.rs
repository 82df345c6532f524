//! Invoicing area, texts: invoices, bank payments recorded against them, the payment checks'
//! queue, and the messages for its error codes, in Russian and English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "invoice.amount_positive" => ("Сумма платежа должна быть больше нуля.", "The payment must be above zero."),
        "invoice.overpaid" => ("Больше, чем осталось оплатить по счёту.", "More than is left to pay on the invoice."),
        "invoice.settled" => ("Счёт уже оплачен полностью.", "The invoice is already paid in full."),
        "invoice.date" => ("Введите дату платежа.", "Enter the payment date."),
        "invoice.date_future" => ("Дата платежа ещё не наступила.", "The payment date is in the future."),
        "invoice.date_before_invoice" => ("Платёж раньше даты счёта.", "The payment is dated before the invoice."),
        "invoice.document_missing" => ("Укажите номер платёжного поручения.", "Enter the payment order number."),
        "invoice.document_long" => ("Номер документа длиннее 40 знаков.", "The document number is over 40 characters."),
        "invoice.void" => (
            "Заказ отменён, счёт аннулирован: платёж по нему не записать.",
            "The order was cancelled and its invoice is void: no payment can be recorded against it.",
        ),
        "invoice.changed" => (
            "По счёту только что записали другой платёж. Обновите страницу.",
            "Another payment was just recorded against this invoice. Please reload the page.",
        ),
        "invoice.none" => ("У этого заказа нет счёта.", "This order has no invoice."),
        "schedule.too_many" => ("Не больше 12 платежей.", "At most 12 instalments."),
        "schedule.date" => ("Укажите дату платежа.", "Enter the instalment's date."),
        "schedule.date_past" => ("Дата платежа уже прошла.", "The date has passed."),
        "schedule.date_far" => ("Не позже чем через два года.", "No later than two years ahead."),
        "schedule.share_missing" => ("Укажите сумму или процент.", "Enter an amount or a percentage."),
        "schedule.percent" => ("Процент — больше 0 и не больше 100.", "A percentage is above 0 and at most 100."),
        "schedule.percents_not_100" => ("Проценты в сумме должны дать 100 %.", "The percentages must add up to 100 %."),
        "schedule.locked" => (
            "График не изменить: по счетам уже есть оплата, заказ ждёт оплаты перед сборкой или завершён.",
            "The schedule cannot change: something was paid, the order waits for its payment before assembly, or it is finished.",
        ),
        "schedule.changed" => (
            "Заказ или его счета только что изменились. Обновите страницу.",
            "The order or its invoices just changed. Please reload the page.",
        ),
        "task.note_missing" => ("Напишите, о чём договорились с клиентом.", "Write what was agreed with the client."),
        "task.note_long" => ("Не длиннее 500 знаков.", "At most 500 characters."),
        "task.closed" => ("Задачу уже закрыли.", "The task is already closed."),
        _ => return None,
    })
}

super::phrases! {
    invoice: "Счёт", "Invoice";
    invoice_amount: "Сумма счёта", "Invoice total";
    invoice_paid: "Оплачено", "Paid";
    invoice_left: "Осталось оплатить", "Left to pay";
    invoice_void: "Счёт аннулирован: заказ отменён.", "The invoice is void: the order was cancelled.";
    invoice_void_paid: "Поступившие по нему деньги нужно вернуть клиенту или зачесть в другой счёт.", "The money received against it is to be returned to the client or set against another invoice.";
    download_invoice: "Скачать счёт (PDF)", "Download the invoice (PDF)";
    waits_for_payment: "Сборка начнётся после поступления оплаты по счёту.", "Assembly starts once the invoice is paid.";
    check_due: "Проверить поступление до", "Check for the payment by";
    bank_payments: "Платежи по счёту", "Payments against the invoice";
    record_title: "Записать платёж из выписки", "Record a payment from the statement";
    record_amount: "Сумма, ₽", "Amount, ₽";
    record_date: "Дата платежа", "Payment date";
    record_document: "№ платёжного поручения", "Payment order no.";
    record_send: "Записать платёж", "Record the payment";
    record_duplicate: "Этот платёж уже был записан.", "This payment was already recorded.";
    checks_title: "Проверка оплат", "Payment checks";
    checks_intro: "Заказы, которые ждут оплаты по счёту перед сборкой. Срок — три банковских дня после выставления счёта.", "Orders that wait for their invoice to be paid before assembly. Each is due three banking days after the invoice.";
    checks_open: "Ждут оплаты", "Waiting";
    checks_closed: "Закрытые", "Closed";
    checks_empty: "Заказов, ждущих оплаты, нет.", "No orders wait for a payment.";
    checks_closed_empty: "Закрытых проверок пока нет.", "No closed checks yet.";
    checks_order: "Заказ", "Order";
    checks_client: "Клиент", "Client";
    checks_due: "Срок", "Due";
    checks_overdue: "просрочено", "overdue";
    checks_left: "Осталось", "Left";
    outcome_paid: "оплачено", "paid";
    outcome_cancelled: "заказ отменён", "order cancelled";
    outcome_not_needed: "оплата до сборки больше не нужна", "payment before assembly no longer needed";
    invoice_due: "Оплатить до", "Pay by";
    instalment: "Платёж", "Instalment";
    instalment_of: "из", "of";
    schedule_title: "График платежей", "Payment schedule";
    schedule_intro: "Разбейте оплату на платежи: сумма в рублях или процент от остатка. Каждый платёж станет отдельным счётом со своим сроком.", "Split the payment into instalments: an amount in roubles or a percentage of what is left. Each becomes an invoice with its own due day.";
    schedule_due: "Срок", "Due";
    schedule_share: "Сумма, ₽ или %", "Amount, ₽ or %";
    schedule_add: "Добавить платёж", "Add an instalment";
    schedule_remove: "Убрать", "Remove";
    schedule_total: "Итого по графику", "Schedule total";
    schedule_send: "Выставить счета по графику", "Issue the instalment invoices";
    tasks_title: "Контроль оплат", "Payment follow-up";
    tasks_intro: "Счета клиентов, срок оплаты которых наступил. Задача закрывается сама, когда счёт оплачен; иначе свяжитесь с клиентом и запишите, о чём договорились.", "Clients' invoices that have fallen due. A task closes by itself once its invoice is paid; otherwise call the client and note what was agreed.";
    tasks_open: "Открытые", "Open";
    tasks_closed: "Закрытые", "Closed";
    tasks_empty: "Счетов с наступившим сроком нет.", "No invoices have fallen due.";
    tasks_closed_empty: "Закрытых задач пока нет.", "No closed tasks yet.";
    task_manager: "Менеджер", "Manager";
    task_no_manager: "менеджер не назначен", "no manager assigned";
    task_note: "О чём договорились", "What was agreed";
    task_done: "Выполнено", "Done";
    task_outcome_paid: "счёт оплачен", "invoice paid";
    task_outcome_void: "счёт аннулирован", "invoice void";
    task_outcome_done: "выполнено", "done";
}

/// The texts in the reader's language (tracked: a view re-renders when it changes).
pub fn t() -> &'static Texts {
    use leptos::prelude::Get;
    texts(super::use_locale().get())
}
