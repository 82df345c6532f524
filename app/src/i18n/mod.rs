//! Interface texts in Russian (default) and English, and the messages for error codes: each
//! area's codes in `i18n/<area>.rs`, so a new area adds its own file.

use domain::{Locale, OrgKind, Role};
use leptos::prelude::*;

/// Declares an area's (or the shared) interface texts: a `Texts` struct with one field per phrase,
/// its Russian and English values, and `texts(locale)`. Each area's phrases stand apart, so an
/// island links only the texts of its own area (the catalog's first load carries no cart texts).
macro_rules! phrases {
    ($($key:ident: $ru:expr, $en:expr;)*) => {
        /// Interface texts, one field per phrase.
        pub struct Texts { $(pub $key: &'static str,)* }
        static RU: Texts = Texts { $($key: $ru,)* };
        static EN: Texts = Texts { $($key: $en,)* };

        pub fn texts(locale: domain::Locale) -> &'static Texts {
            match locale {
                domain::Locale::Ru => &RU,
                domain::Locale::En => &EN,
            }
        }
    };
}
pub(crate) use phrases;

pub mod cart;
pub mod catalog;
pub mod crm;
pub mod identity;
pub mod invoicing;
pub mod notifications;
pub mod ordering;
mod payments;

phrases! {
    app_name: "Кабинет", "Kabinet";
    tagline: "Инженерное оборудование: отопление, водоснабжение, вентиляция", "Engineering equipment: heating, water supply, ventilation";
    meta_description: "Каталог инженерного оборудования: котлы, радиаторы, насосы, водонагреватели, трубы, фитинги, арматура, вентиляция. Цены, наличие на складах и в пунктах выдачи, заказ онлайн и по безналу.",
        "Engineering equipment catalog: boilers, radiators, pumps, water heaters, pipes, fittings, valves, ventilation. Prices, stock at warehouses and pickup points, online and invoiced orders.";
    sign_in_button: "Войти", "Sign in";
    name_label: "Имя и фамилия", "Full name";
    phone_label: "Телефон", "Phone";
    home_title: "Мой кабинет", "My cabinet";
    hello: "Здравствуйте", "Hello";
    role_label: "Роль", "Role";
    organisation_label: "Организация", "Organisation";
    region_label: "Регион", "Region";
    retail_point_label: "Розничная точка", "Retail point";
    sections_title: "Разделы", "Sections";
    nav_home: "Главная", "Home";
    nav_profile: "Профиль", "Profile";
    nav_users: "Пользователи", "Users";
    home_profile_hint: "Контакты, пароль, язык и устройства", "Contacts, password, language and devices";
    home_users_hint: "Учётные записи, приглашения и сброс паролей", "Accounts, invitations and password resets";
    nav_notifications: "Уведомления", "Notifications";
    home_notifications_hint: "Шаблоны писем и SMS, каналы, очередь отправки", "E-mail and SMS templates, channels, the delivery queue";
    nav_payments: "Проверка оплат", "Payment checks";
    home_payments_hint: "Заказы, ждущие оплаты по счёту перед сборкой; платежи из выписки", "Orders waiting for their invoice to be paid before assembly; payments from the statement";
    nav_tasks: "Контроль оплат", "Payment follow-up";
    home_tasks_hint: "Счета клиентов, срок оплаты которых наступил: проконтролировать поступление", "Clients' invoices that have fallen due: see that they are paid";
    nav_channels: "Каналы продаж", "Sales channels";
    home_channels_hint: "Сборка только после оплаты по каналам", "Assembly only once paid, per channel";
    save: "Сохранить", "Save";
    saved: "Сохранено", "Saved";
    sign_out: "Выйти", "Sign out";
    language: "Язык", "Language";
    not_found_title: "Страница не найдена", "Page not found";
    to_home: "На главную", "Go home";
    loading: "Загрузка…", "Loading…";
    err_unauthenticated: "Войдите, чтобы продолжить.", "Please sign in to continue.";
    err_forbidden: "Недостаточно прав для этого действия.", "You are not allowed to do this.";
    err_not_found: "Не найдено.", "Not found.";
    err_validation: "Проверьте выделенные поля.", "Please check the highlighted fields.";
    err_internal: "Что-то пошло не так. Мы уже разбираемся; номер запроса", "Something went wrong. We are looking into it; request";
    err_transport: "Нет связи с сервером. Проверьте подключение и повторите.", "No connection to the server. Check your network and try again.";
    err_unsupported_media: "Сервер не принимает данные в таком виде.", "The server does not accept data in this form.";
    nav_catalog: "Каталог", "Catalog";
    home_catalog_hint: "Поиск, фильтры, цены и наличие", "Search, filters, prices and stock";
    nav_cart: "Корзина", "Cart";
    home_cart_hint: "Товары к заказу и оформление", "Items to order and checkout";
    nav_orders: "Заказы", "Orders";
    home_orders_hint: "Статусы, оплата, документы, повтор заказа", "Statuses, payment, documents, repeat an order";
    nav_staff_orders: "Заказы клиентов", "Client orders";
    home_staff_orders_hint: "Очередь заказов ваших клиентов: фильтры, статусы, обработка", "Your clients' orders: filters, statuses, processing";
    nav_quick_order: "Быстрый заказ", "Quick order";
    home_quick_order_hint: "Вставьте список «артикул количество» или загрузите Excel/CSV", "Paste «article quantity» lines or upload Excel/CSV";
    quantity_label: "Количество", "Quantity";
    to_catalog: "Перейти в каталог", "Go to the catalog";
    subtotal: "Сумма без скидки", "Subtotal";
    discount: "Скидка", "Discount";
    total: "Итого", "Total";
    vat_included: "в т. ч. НДС", "incl. VAT";
    pickup: "Самовывоз", "Pickup";
    delivery: "Доставка", "Delivery";
    payment_label: "Оплата", "Payment";
}

/// The interface language as a signal, provided by the application root.
pub fn use_locale() -> RwSignal<Locale> {
    // On the server every component sees the app's locale. An island in the browser starts on its
    // own: it takes the language the page was rendered in.
    use_context::<RwSignal<Locale>>().unwrap_or_else(|| {
        let locale = RwSignal::new(crate::initial_locale());
        provide_context(locale);
        locale
    })
}

/// Texts of the current language; re-read inside reactive closures to follow language changes.
pub fn t() -> &'static Texts {
    texts(use_locale().get())
}

pub fn role_name(locale: Locale, role: Role) -> &'static str {
    let ru = locale == Locale::Ru;
    match role {
        Role::RetailBuyer => {
            if ru {
                "Розничный покупатель"
            } else {
                "Retail buyer"
            }
        }
        Role::WholesaleBuyer => {
            if ru {
                "Оптовый покупатель"
            } else {
                "Wholesale buyer"
            }
        }
        Role::DealerManager => {
            if ru {
                "Менеджер дилера"
            } else {
                "Dealer manager"
            }
        }
        Role::DealerServiceEngineer => {
            if ru {
                "Сервисный инженер дилера"
            } else {
                "Dealer service engineer"
            }
        }
        Role::DealerEmployee => {
            if ru {
                "Сотрудник дилера"
            } else {
                "Dealer employee"
            }
        }
        Role::Supplier => {
            if ru {
                "Поставщик"
            } else {
                "Supplier"
            }
        }
        Role::SalesManager => {
            if ru {
                "Менеджер по продажам"
            } else {
                "Sales manager"
            }
        }
        Role::Head => {
            if ru {
                "Руководитель региона"
            } else {
                "Regional head"
            }
        }
        Role::Cashier => {
            if ru {
                "Кассир"
            } else {
                "Cashier"
            }
        }
        Role::ServiceEngineer => {
            if ru {
                "Сервисный инженер"
            } else {
                "Service engineer"
            }
        }
        Role::Admin => {
            if ru {
                "Администратор"
            } else {
                "Administrator"
            }
        }
    }
}

pub fn org_kind_name(locale: Locale, kind: OrgKind) -> &'static str {
    let ru = locale == Locale::Ru;
    match kind {
        OrgKind::Seller => {
            if ru {
                "Продавец"
            } else {
                "Seller"
            }
        }
        OrgKind::Client => {
            if ru {
                "Клиент"
            } else {
                "Client"
            }
        }
        OrgKind::Dealer => {
            if ru {
                "Дилер"
            } else {
                "Dealer"
            }
        }
        OrgKind::Supplier => {
            if ru {
                "Поставщик"
            } else {
                "Supplier"
            }
        }
        OrgKind::Person => {
            if ru {
                "Частное лицо"
            } else {
                "Private person"
            }
        }
    }
}

/// «24 месяца», «1 month».
pub fn months(locale: Locale, n: i32) -> String {
    let n = n.max(0);
    match locale {
        Locale::Ru => format!("{n} {}", domain::words::plural(n as u64, "месяц", "месяца", "месяцев")),
        Locale::En if n == 1 => "1 month".into(),
        Locale::En => format!("{n} months"),
    }
}

pub fn order_status_name(locale: Locale, status: domain::status::OrderStatus) -> &'static str {
    use domain::status::OrderStatus::*;
    let (r, e) = match status {
        AwaitingApproval => ("Ждёт согласования", "Awaiting approval"),
        New => ("Новый", "New"),
        InWork => ("В работе", "In progress"),
        AwaitingConfirmation => ("Ждёт подтверждения", "Awaiting confirmation"),
        Confirmed => ("Подтверждён", "Confirmed"),
        AwaitingStock => ("Ожидает поступления", "Awaiting stock"),
        AwaitingAssembly => ("Ожидает сборки", "Awaiting assembly"),
        Assembled => ("Собран", "Assembled"),
        Shipped => ("Отгружен", "Shipped"),
        ReadyForPickup => ("Готов к выдаче", "Ready for pickup"),
        Completed => ("Выполнен", "Completed"),
        Cancelled => ("Отменён", "Cancelled"),
    };
    if locale == Locale::Ru { r } else { e }
}

pub fn payment_status_name(locale: Locale, status: domain::ordering::PaymentStatus) -> &'static str {
    use domain::ordering::PaymentStatus::*;
    let ru = locale == Locale::Ru;
    match status {
        Unpaid => {
            if ru {
                "Не оплачен"
            } else {
                "Unpaid"
            }
        }
        Pending => {
            if ru {
                "Ожидает оплаты"
            } else {
                "Awaiting payment"
            }
        }
        Paid => {
            if ru {
                "Оплачен"
            } else {
                "Paid"
            }
        }
        Declined => {
            if ru {
                "Оплата отклонена"
            } else {
                "Payment declined"
            }
        }
    }
}

pub fn wait_message(locale: Locale, seconds: i64) -> String {
    let minutes = (seconds + 59) / 60;
    match locale {
        Locale::Ru if seconds < 60 => format!("Слишком много неудачных попыток. Повторите через {seconds} с."),
        Locale::Ru => format!("Слишком много неудачных попыток. Повторите через {minutes} мин."),
        Locale::En if seconds < 60 => format!("Too many failed attempts. Try again in {seconds} s."),
        Locale::En => format!("Too many failed attempts. Try again in {minutes} min."),
    }
}

/// A request or file over the limit, with the limit in words a person understands.
pub fn too_large_message(locale: Locale, limit: u64) -> String {
    let size = if limit >= 1 << 20 { format!("{} MB", limit >> 20) } else { format!("{} KB", (limit >> 10).max(1)) };
    match locale {
        Locale::Ru => {
            format!("Слишком большой запрос или файл: не больше {}.", size.replace("MB", "МБ").replace("KB", "КБ"))
        }
        Locale::En => format!("The request or file is too large: at most {size}."),
    }
}

/// Error codes every area may answer with: (ru, en).
fn common_message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "pricing.negative_price" | "pricing.overflow" => {
            ("Заказ не удалось рассчитать.", "The order could not be priced.")
        }
        "request.malformed" => (
            "Запрос не удалось прочитать. Обновите страницу и повторите.",
            "The request could not be read. Reload the page and try again.",
        ),
        "server.internal" => ("Что-то пошло не так. Повторите попытку.", "Something went wrong. Please try again."),
        "upload.empty" => ("Файл пуст.", "The file is empty."),
        "upload.too_large" => ("Файл слишком большой: не больше 2 МБ.", "The file is too large: at most 2 MB."),
        "upload.unreadable" => (
            "Не удалось прочитать файл: нужен .xlsx или .csv в UTF-8.",
            "The file could not be read: an .xlsx or a UTF-8 .csv is needed.",
        ),
        "upload.too_many_entries" | "upload.bad_entry" | "upload.too_large_unpacked" => (
            "Файл повреждён или собран не как обычная книга Excel.",
            "The file is damaged or is not an ordinary Excel workbook.",
        ),
        "upload.too_many_cells" => (
            "В таблице слишком много строк или столбцов: не больше 5000 строк и 50 столбцов.",
            "The sheet has too many rows or columns: at most 5000 rows and 50 columns.",
        ),
        "upload.too_slow" => ("Файл читается слишком долго.", "The file takes too long to read."),
        "percent.malformed" => {
            ("Введите процент числом, например 5 или 7,5.", "Enter a percentage, for example 5 or 7.5.")
        }
        "percent.out_of_range" => ("Процент должен быть от 0 до 100.", "A percentage is between 0 and 100."),
        "allocation.no_weight" | "allocation.negative_weight" => {
            ("Сумму не удалось распределить по строкам.", "The amount could not be spread over the lines.")
        }
        _ => return None,
    })
}

/// The message for a stable error code from the domain or the server, found in the module of the
/// area the code belongs to. A code without one is a bug: it is logged and reads as a generic hint.
pub fn code_message(locale: Locale, code: &str) -> String {
    let found = known_message(code);
    #[cfg(feature = "ssr")]
    if found.is_none() {
        tracing::warn!(code, "error code without a message");
    }
    let (ru, en) = found.unwrap_or(("Проверьте значение.", "Please check this value."));
    (if locale == Locale::Ru { ru } else { en }).to_string()
}

/// (ru, en) for a code any area knows.
pub fn known_message(code: &str) -> Option<(&'static str, &'static str)> {
    [
        identity::message,
        catalog::message,
        crm::message,
        cart::message,
        ordering::message,
        payments::message,
        invoicing::message,
        notifications::message,
        common_message,
    ]
    .iter()
    .find_map(|message| message(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error code the code base can answer with: the arms of the domain's `code()` functions
    /// and the codes the app and the server name in field errors.
    fn codes_in_sources() -> std::collections::BTreeSet<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut codes = std::collections::BTreeSet::new();
        let mut dirs = vec![root.join("domain/src"), root.join("app/src"), root.join("server/src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("source directory").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.starts_with(root.join("app/src/i18n")) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source file");
                let in_domain = path.starts_with(root.join("domain"));
                for (i, _) in text.match_indices('"') {
                    let rest = &text[i + 1..];
                    let Some(end) = rest.find('"') else { continue };
                    let literal = &rest[..end];
                    let is_code = literal.split_once('.').is_some_and(|(a, b)| {
                        !a.is_empty()
                            && !b.is_empty()
                            && literal.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                    });
                    let before = text[..i].trim_end();
                    let named_as_code = if in_domain {
                        before.ends_with("=>")
                    } else {
                        before.ends_with("FieldError::new(\"request\",")
                            || before.ends_with(',')
                                && (before.contains("FieldError::new(") || before.contains("AppError::field("))
                            || before.ends_with("code:")
                    };
                    if is_code && named_as_code {
                        codes.insert(literal.to_string());
                    }
                }
            }
        }
        codes
    }

    #[test]
    fn every_error_code_has_a_message_in_both_languages() {
        let codes = codes_in_sources();
        assert!(codes.len() > 60, "the sources were read: {codes:?}");
        let missing: Vec<_> = codes.iter().filter(|c| known_message(c).is_none()).collect();
        assert!(missing.is_empty(), "error codes without a message: {missing:?}");
        for code in &codes {
            let (ru, en) = known_message(code).unwrap_or_default();
            assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{code}: {ru} / {en}");
        }
        // A unique value that is taken answers `<field>.taken` for each field the store knows.
        for code in ["email.taken", "phone.taken"] {
            assert!(known_message(code).is_some(), "{code}");
        }
    }
}
