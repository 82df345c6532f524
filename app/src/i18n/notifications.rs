//! Notifications area, texts: the pages' phrases, the names of notices, the messages for template
//! errors, and the built-in templates (what is sent until the administrator edits one).

use domain::Locale;
use domain::notifications::Notice;
#[cfg(feature = "ssr")]
use domain::notifications::Template;

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "template.empty" => ("Текст не может быть пустым.", "The text cannot be empty."),
        "template.too_long" => ("Текст слишком длинный.", "The text is too long."),
        "template.unknown_placeholder" => (
            "Неизвестная подстановка: используйте только перечисленные ниже.",
            "Unknown placeholder: use only those listed below.",
        ),
        "template.unclosed" => ("Подстановка не закрыта: {{имя}}.", "A placeholder is not closed: {{name}}."),
        "template.line_break" => {
            ("В теме письма не должно быть переносов строк.", "A subject cannot have line breaks.")
        }
        "notice.unknown" => ("Нет такого уведомления.", "There is no such notification."),
        "notice.security" => {
            ("Уведомления безопасности отключить нельзя.", "Security notifications cannot be turned off.")
        }
        _ => return None,
    })
}

super::phrases! {
    bell_label: "Уведомления", "Notifications";
    unread_suffix: "непрочитанных", "unread";
    page_title: "Уведомления", "Notifications";
    empty: "Уведомлений пока нет.", "No notifications yet.";
    mark_all_read: "Отметить все прочитанными", "Mark all as read";
    mark_read: "Прочитано", "Mark read";
    older: "Более ранние", "Older";
    admin_title: "Уведомления: шаблоны и каналы", "Notifications: templates and channels";
    channel_email: "E-mail", "E-mail";
    channel_sms: "SMS", "SMS";
    channel_in_app: "В кабинете", "In the cabinet";
    always: "всегда", "always";
    security_note: "безопасность: отключить нельзя", "security: cannot be turned off";
    edit_template: "Шаблон", "Template";
    template_for: "Шаблон", "Template";
    subject_label: "Тема письма и заголовок в кабинете", "E-mail subject and title in the cabinet";
    body_label: "Текст письма и уведомления в кабинете", "E-mail and cabinet text";
    sms_label: "Текст SMS", "SMS text";
    placeholders_label: "Подстановки", "Placeholders";
    preview_label: "Предпросмотр с примером данных", "Preview with example data";
    reset_template: "Вернуть исходный", "Restore the built-in one";
    customised: "изменён", "edited";
    built_in: "исходный", "built-in";
    outbox_title: "Очередь отправки", "Delivery queue";
    outbox_queued: "В очереди", "Queued";
    outbox_sent: "Отправлены", "Sent";
    outbox_dead: "Не доставлены", "Failed";
    outbox_empty: "Сообщений нет.", "No messages.";
    attempts_label: "Попыток", "Attempts";
    next_attempt: "Следующая попытка", "Next attempt";
    last_error: "Ошибка", "Error";
    retry: "Отправить снова", "Send again";
    via_sandbox: "песочница: не отправлено", "sandbox: not sent";
    no_smtp: "SMTP не настроен: письма ждут в очереди (KABINET_SMTP_HOST).", "No SMTP server is configured: e-mails wait in the queue (KABINET_SMTP_HOST).";
    no_sms: "SMS-шлюз не настроен: SMS ждут в очереди.", "No SMS gateway is configured: texts wait in the queue.";
    prefs_title: "Уведомления", "Notifications";
    prefs_hint: "Что присылать вам на почту и по SMS. В кабинете уведомления видны всегда.", "What to send you by e-mail and SMS. In the cabinet you always see them.";
    prefs_off_by_admin: "выключено администратором", "turned off by the administrator";
}

/// This area's texts in the current language; re-read inside reactive closures.
pub fn t() -> &'static Texts {
    use leptos::prelude::Get;
    texts(super::use_locale().get())
}

/// The notice's name in lists (the administrator's, the person's preferences).
pub fn notice_name(locale: Locale, notice: Notice) -> &'static str {
    let (ru, en) = match notice {
        Notice::OrderPlaced => ("Заказ принят (покупателю)", "Order placed (to the buyer)"),
        Notice::OrderNew => ("Новый заказ (менеджеру)", "New order (to the manager)"),
        Notice::OrderStatus => ("Статус заказа изменён (покупателю)", "Order status changed (to the buyer)"),
        Notice::ApprovalNeeded => ("Заказ ждёт согласования (руководителю)", "Order awaits approval (to the head)"),
        Notice::OrderApproved => {
            ("Заказ согласован (покупателю и менеджеру)", "Order approved (to the buyer and the manager)")
        }
        Notice::OrderRejected => {
            ("Заказ не согласован (покупателю и менеджеру)", "Order not approved (to the buyer and the manager)")
        }
        Notice::ClientAssigned => ("Назначен клиент (менеджеру)", "Client assigned (to the manager)"),
        Notice::PaymentReceived => ("Оплата получена (покупателю)", "Payment received (to the buyer)"),
        Notice::PaymentReceivedStaff => ("Оплата от клиента (менеджеру)", "Client payment received (to the manager)"),
        Notice::RefundDone => ("Деньги возвращены (покупателю)", "Money returned (to the buyer)"),
        Notice::PaymentDue => ("Срок оплаты счёта сегодня (покупателю)", "Invoice due today (to the buyer)"),
        Notice::PaymentOverdue => ("Счёт просрочен (покупателю)", "Invoice overdue (to the buyer)"),
        Notice::PaymentOverdueStaff => {
            ("Счёт клиента просрочен (менеджеру)", "Client's invoice overdue (to the manager)")
        }
        Notice::OrderShipment => ("Часть заказа отгружена (покупателю)", "Part of the order shipped (to the buyer)"),
        Notice::OrderComment => ("Сообщение по заказу (покупателю)", "Message about an order (to the buyer)"),
        Notice::OrderCommentStaff => {
            ("Сообщение клиента по заказу (менеджеру)", "Client's message about an order (to the manager)")
        }
        Notice::Invitation => ("Приглашение в Кабинет", "Invitation to Kabinet"),
        Notice::PasswordReset => ("Сброс пароля", "Password reset"),
        Notice::FailedSignIns => ("Попытки входа с неверным паролем", "Failed sign-in attempts"),
    };
    if locale == Locale::Ru { ru } else { en }
}

/// What a notice says until the administrator changes it.
#[cfg(feature = "ssr")]
pub fn default_template(notice: Notice, locale: Locale) -> Template {
    let ru = locale == Locale::Ru;
    let (subject, body, sms) = match (notice, ru) {
        (Notice::OrderPlaced, true) => (
            "Заказ №{{order}} принят",
            "{{name}}, здравствуйте!\n\nВаш заказ №{{order}} на сумму {{total}} принят. Мы сообщим, когда он будет готов.\n\nЗаказ: {{link}}",
            "Заказ №{{order}} на {{total}} принят. {{link}}",
        ),
        (Notice::OrderPlaced, false) => (
            "Order {{order}} placed",
            "Hello {{name}},\n\nyour order {{order}} for {{total}} is placed. We will let you know when it is ready.\n\nOrder: {{link}}",
            "Order {{order}} for {{total}} placed. {{link}}",
        ),
        (Notice::OrderNew, true) => (
            "Новый заказ №{{order}}: {{buyer}}",
            "{{name}}, поступил заказ №{{order}} от {{buyer}} на сумму {{total}}.\n\nОткрыть: {{link}}",
            "Новый заказ №{{order}} от {{buyer}} на {{total}}",
        ),
        (Notice::OrderNew, false) => (
            "New order {{order}}: {{buyer}}",
            "{{name}}, order {{order}} from {{buyer}} for {{total}} has arrived.\n\nOpen: {{link}}",
            "New order {{order}} from {{buyer}} for {{total}}",
        ),
        (Notice::OrderShipment, true) => (
            "Заказ №{{order}}: отгрузка №{{number}}",
            "{{name}}, здравствуйте!\n\nПо заказу №{{order}} отгружена часть товаров (отгрузка №{{number}}). Всего отгружено {{shipped}} заказа; остальное отправим следом.\n\nЗаказ: {{link}}",
            "Заказ №{{order}}: отгрузка №{{number}}, отгружено {{shipped}}. {{link}}",
        ),
        (Notice::OrderShipment, false) => (
            "Order {{order}}: shipment {{number}}",
            "Hello {{name}},\n\npart of your order {{order}} has left (shipment {{number}}). {{shipped}} of the order is shipped so far; the rest follows.\n\nOrder: {{link}}",
            "Order {{order}}: shipment {{number}}, {{shipped}} shipped. {{link}}",
        ),
        (Notice::OrderComment, true) => (
            "Заказ №{{order}}: сообщение от {{author}}",
            "{{name}}, здравствуйте!\n\n{{author}} пишет по заказу №{{order}}:\n\n{{text}}\n\nОтветить: {{link}}",
            "Заказ №{{order}}: {{author}} оставил(а) сообщение. {{link}}",
        ),
        (Notice::OrderComment, false) => (
            "Order {{order}}: a message from {{author}}",
            "Hello {{name}},\n\n{{author}} writes about your order {{order}}:\n\n{{text}}\n\nReply: {{link}}",
            "Order {{order}}: a message from {{author}}. {{link}}",
        ),
        (Notice::OrderCommentStaff, true) => (
            "Заказ №{{order}}: сообщение клиента {{buyer}}",
            "{{name}}, здравствуйте!\n\n{{author}} ({{buyer}}) пишет по заказу №{{order}}:\n\n{{text}}\n\nЗаказ: {{link}}",
            "Заказ №{{order}}: сообщение от {{buyer}}. {{link}}",
        ),
        (Notice::OrderCommentStaff, false) => (
            "Order {{order}}: a message from {{buyer}}",
            "Hello {{name}},\n\n{{author}} ({{buyer}}) writes about order {{order}}:\n\n{{text}}\n\nOrder: {{link}}",
            "Order {{order}}: a message from {{buyer}}. {{link}}",
        ),
        (Notice::ApprovalNeeded, true) => (
            "Согласуйте заказ №{{order}}: {{buyer}}",
            "{{name}}, здравствуйте!\n\nЗаказ №{{order}} от {{buyer}} на сумму {{total}} превышает кредитный лимит клиента на {{amount}} и ждёт вашего решения.\n\nСогласовать или отклонить: {{link}}",
            "Заказ №{{order}} от {{buyer}} превышает лимит на {{amount}}, ждёт согласования. {{link}}",
        ),
        (Notice::ApprovalNeeded, false) => (
            "Approve order {{order}}: {{buyer}}",
            "Hello {{name}},\n\norder {{order}} from {{buyer}} for {{total}} exceeds the client's credit limit by {{amount}} and awaits your decision.\n\nApprove or reject: {{link}}",
            "Order {{order}} from {{buyer}} exceeds the limit by {{amount}}, awaits approval. {{link}}",
        ),
        (Notice::OrderApproved, true) => (
            "Заказ №{{order}} согласован",
            "{{name}}, здравствуйте!\n\nЗаказ №{{order}} ({{buyer}}) на сумму {{total}} согласован руководителем сверх кредитного лимита и передан в работу.\n\nЗаказ: {{link}}",
            "Заказ №{{order}} согласован и передан в работу. {{link}}",
        ),
        (Notice::OrderApproved, false) => (
            "Order {{order}} approved",
            "Hello {{name}},\n\norder {{order}} ({{buyer}}) for {{total}} was approved by a head over the credit limit and is being processed.\n\nOrder: {{link}}",
            "Order {{order}} approved and being processed. {{link}}",
        ),
        (Notice::OrderRejected, true) => (
            "Заказ №{{order}} не согласован",
            "{{name}}, здравствуйте!\n\nЗаказ №{{order}} ({{buyer}}) на сумму {{total}} не согласован сверх кредитного лимита и отменён.\nПричина: {{reason}}\n\nЗаказ: {{link}}",
            "Заказ №{{order}} не согласован и отменён: {{reason}}",
        ),
        (Notice::OrderRejected, false) => (
            "Order {{order}} not approved",
            "Hello {{name}},\n\norder {{order}} ({{buyer}}) for {{total}} was not approved over the credit limit and is cancelled.\nReason: {{reason}}\n\nOrder: {{link}}",
            "Order {{order}} not approved and cancelled: {{reason}}",
        ),
        (Notice::ClientAssigned, true) => (
            "Вы — ответственный менеджер клиента {{buyer}}",
            "{{name}}, здравствуйте!\n\nВас назначили ответственным менеджером клиента {{buyer}}. Его заказы, сообщения и платежи теперь приходят вам.\n\nЗаказ, из которого назначили: №{{order}} на {{total}}, {{link}}",
            "Вы — ответственный менеджер клиента {{buyer}}. {{link}}",
        ),
        (Notice::ClientAssigned, false) => (
            "You are now {{buyer}}'s responsible manager",
            "Hello {{name}},\n\nyou are now the responsible manager of {{buyer}}. Their orders, messages and payments come to you from now on.\n\nAssigned from order {{order}} for {{total}}: {{link}}",
            "You are now {{buyer}}'s responsible manager. {{link}}",
        ),
        (Notice::OrderStatus, true) => (
            "Заказ №{{order}}: {{status}}",
            "{{name}}, здравствуйте!\n\nСтатус вашего заказа №{{order}}: {{status}}.\n\nЗаказ: {{link}}",
            "Заказ №{{order}}: {{status}}. {{link}}",
        ),
        (Notice::OrderStatus, false) => (
            "Order {{order}}: {{status}}",
            "Hello {{name}},\n\nyour order {{order}} is now: {{status}}.\n\nOrder: {{link}}",
            "Order {{order}}: {{status}}. {{link}}",
        ),
        (Notice::PaymentReceived, true) => (
            "Оплата заказа №{{order}} получена",
            "{{name}}, здравствуйте!\n\nМы получили {{amount}} по заказу №{{order}}. Спасибо!\n\nЗаказ: {{link}}",
            "Оплата {{amount}} по заказу №{{order}} получена.",
        ),
        (Notice::PaymentReceived, false) => (
            "Payment for order {{order}} received",
            "Hello {{name}},\n\nwe received {{amount}} for order {{order}}. Thank you!\n\nOrder: {{link}}",
            "Payment of {{amount}} for order {{order}} received.",
        ),
        (Notice::RefundDone, true) => (
            "Деньги за заказ №{{order}} возвращены",
            "{{name}}, здравствуйте!\n\nЗаказ №{{order}} отменён, и {{amount}} возвращены на карту, с которой он был оплачен. Банк может зачислять их до нескольких дней.\n\nЗаказ: {{link}}",
            "Возврат {{amount}} по заказу №{{order}} выполнен.",
        ),
        (Notice::RefundDone, false) => (
            "Money for order {{order}} returned",
            "Hello {{name}},\n\norder {{order}} was cancelled and {{amount}} went back to the card it was paid with. Your bank may take a few days to credit it.\n\nOrder: {{link}}",
            "Refund of {{amount}} for order {{order}} done.",
        ),
        (Notice::PaymentDue, true) => (
            "Сегодня срок оплаты счёта {{invoice}}",
            "{{name}}, здравствуйте!\n\nСегодня, {{due}}, срок оплаты счёта {{invoice}} по заказу №{{order}}. Осталось оплатить {{amount}}.\n\nЗаказ и счёт: {{link}}",
            "Сегодня срок оплаты счёта {{invoice}}: {{amount}}.",
        ),
        (Notice::PaymentDue, false) => (
            "Invoice {{invoice}} is due today",
            "Hello {{name}},\n\ninvoice {{invoice}} for order {{order}} is due today, {{due}}. Left to pay: {{amount}}.\n\nOrder and invoice: {{link}}",
            "Invoice {{invoice}} is due today: {{amount}}.",
        ),
        (Notice::PaymentOverdue, true) => (
            "Счёт {{invoice}} просрочен",
            "{{name}}, здравствуйте!\n\nСрок оплаты счёта {{invoice}} по заказу №{{order}} истёк {{due}}. Осталось оплатить {{amount}}. Пока долг просрочен, новые заказы в кредит могут быть остановлены.\n\nЗаказ и счёт: {{link}}",
            "Счёт {{invoice}} просрочен: осталось {{amount}}.",
        ),
        (Notice::PaymentOverdue, false) => (
            "Invoice {{invoice}} is overdue",
            "Hello {{name}},\n\ninvoice {{invoice}} for order {{order}} was due on {{due}}. Left to pay: {{amount}}. While the debt is overdue, new orders on credit may be stopped.\n\nOrder and invoice: {{link}}",
            "Invoice {{invoice}} is overdue: {{amount}} left.",
        ),
        (Notice::PaymentOverdueStaff, true) => (
            "Просрочен счёт {{invoice}}: {{buyer}}",
            "{{name}}, у {{buyer}} просрочен счёт {{invoice}} по заказу №{{order}} (срок {{due}}): осталось {{amount}}.\n\nОткрыть: {{link}}",
            "Просрочен счёт {{invoice}} ({{buyer}}): {{amount}}",
        ),
        (Notice::PaymentOverdueStaff, false) => (
            "Invoice {{invoice}} overdue: {{buyer}}",
            "{{name}}, {{buyer}} is late with invoice {{invoice}} for order {{order}} (due {{due}}): {{amount}} left.\n\nOpen: {{link}}",
            "Invoice {{invoice}} overdue ({{buyer}}): {{amount}}",
        ),
        (Notice::PaymentReceivedStaff, true) => (
            "Оплата по заказу №{{order}}: {{buyer}}",
            "{{name}}, {{buyer}} оплатил {{amount}} по заказу №{{order}}.\n\nОткрыть: {{link}}",
            "Оплата {{amount}} по заказу №{{order}} ({{buyer}})",
        ),
        (Notice::PaymentReceivedStaff, false) => (
            "Payment for order {{order}}: {{buyer}}",
            "{{name}}, {{buyer}} paid {{amount}} for order {{order}}.\n\nOpen: {{link}}",
            "Payment of {{amount}} for order {{order}} ({{buyer}})",
        ),
        (Notice::Invitation, true) => (
            "Приглашение в Кабинет",
            "{{name}},\n\nдля вас создана учётная запись в Кабинете. Задайте пароль по ссылке (действует {{valid}}):\n{{link}}",
            "Кабинет: задайте пароль по ссылке {{link}}",
        ),
        (Notice::Invitation, false) => (
            "Your Kabinet invitation",
            "{{name}},\n\nan account was created for you in Kabinet. Choose your password here (valid for {{valid}}):\n{{link}}",
            "Kabinet: choose your password at {{link}}",
        ),
        (Notice::PasswordReset, true) => (
            "Сброс пароля в Кабинете",
            "{{name}},\n\nадминистратор сбросил ваш пароль. Задайте новый по ссылке (действует {{valid}}):\n{{link}}",
            "Кабинет: новый пароль по ссылке {{link}}",
        ),
        (Notice::PasswordReset, false) => (
            "Kabinet password reset",
            "{{name}},\n\nan administrator reset your password. Choose a new one here (valid for {{valid}}):\n{{link}}",
            "Kabinet: choose a new password at {{link}}",
        ),
        (Notice::FailedSignIns, true) => (
            "Попытки входа в ваш Кабинет",
            "{{name}},\n\nв ваш Кабинет несколько раз подряд пытались войти с неверным паролем; попытки с этого адреса замедлены. Если это были не вы, смените пароль в профиле: {{link}}\nАдрес: {{address}}",
            "Кабинет: попытки входа с неверным паролем с адреса {{address}}. Если это не вы, смените пароль.",
        ),
        (Notice::FailedSignIns, false) => (
            "Sign-in attempts on your Kabinet account",
            "{{name}},\n\nsomeone tried to sign in to your Kabinet account with a wrong password several times; attempts from their address are slowed down. If it was not you, change your password in your profile: {{link}}\nAddress: {{address}}",
            "Kabinet: failed sign-ins from {{address}}. If it was not you, change your password.",
        ),
    };
    Template { subject: subject.into(), body: body.into(), sms: sms.into() }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_pass_their_own_checks() {
        for &notice in Notice::ALL {
            for locale in Locale::ALL {
                let problems = default_template(notice, locale).check(notice);
                assert!(problems.is_empty(), "{notice:?} {locale:?}: {problems:?}");
                assert_ne!(notice_name(Locale::Ru, notice), notice_name(Locale::En, notice));
            }
        }
    }
}
