//! CRM area, texts: a client's responsible manager, in Russian and English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "crm.manager_unknown" => {
            ("Выберите менеджера по продажам региона клиента.", "Choose a sales manager of the client's region.")
        }
        _ => return None,
    })
}

super::phrases! {
    responsible_manager: "Ответственный менеджер", "Responsible manager";
    no_manager: "Не назначен (заказы видят все менеджеры региона)", "Nobody (the region's managers all see the orders)";
    assign: "Назначить", "Assign";
    assigned: "Сохранено: новый менеджер получил уведомление.", "Saved: the new manager has been notified.";
}

/// The texts in the reader's language (tracked: a view re-renders when it changes).
pub fn t() -> &'static Texts {
    use leptos::prelude::Get;
    texts(super::use_locale().get())
}
