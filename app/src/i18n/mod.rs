//! Interface texts in Russian (default) and English, and the messages for error codes: each
//! area's codes in `i18n/<area>.rs`, so a new area adds its own file.

use domain::{Locale, OrgKind, Role};
use leptos::prelude::*;

mod cart;
mod catalog;
mod identity;
mod ordering;
mod payments;

macro_rules! texts {
    ($($key:ident: $ru:expr, $en:expr;)*) => {
        /// Every interface text, one field per phrase.
        pub struct Texts { $(pub $key: &'static str,)* }
        static RU: Texts = Texts { $($key: $ru,)* };
        static EN: Texts = Texts { $($key: $en,)* };
    };
}

texts! {
    app_name: "Кабинет", "Kabinet";
    tagline: "Инженерное оборудование: отопление, водоснабжение, вентиляция", "Engineering equipment: heating, water supply, ventilation";
    sign_in_title: "Вход в кабинет", "Sign in";
    identifier_label: "E-mail или телефон", "E-mail or phone";
    identifier_hint: "Например, name@company.ru или +7 912 345-67-89", "For example name@company.ru or +7 912 345-67-89";
    password_label: "Пароль", "Password";
    sign_in_button: "Войти", "Sign in";
    signing_in: "Входим…", "Signing in…";
    no_account: "Нет учётной записи?", "No account yet?";
    register_link: "Зарегистрироваться", "Register";
    have_account: "Уже зарегистрированы?", "Already registered?";
    register_title: "Регистрация покупателя", "Create a buyer account";
    name_label: "Имя и фамилия", "Full name";
    phone_label: "Телефон", "Phone";
    email_label: "E-mail", "E-mail";
    password_hint: "Не короче 8 символов", "At least 8 characters";
    register_button: "Зарегистрироваться", "Register";
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
    profile_title: "Профиль", "Profile";
    contacts_title: "Контактные данные", "Contact details";
    save: "Сохранить", "Save";
    saved: "Сохранено", "Saved";
    change_password_title: "Смена пароля", "Change password";
    current_password: "Текущий пароль", "Current password";
    new_password: "Новый пароль", "New password";
    confirm_password: "Повторите пароль", "Repeat the password";
    change_password_button: "Сменить пароль", "Change password";
    password_changed: "Пароль изменён. Остальные устройства отключены.", "Password changed. Other devices were signed out.";
    sessions_title: "Устройства, где выполнен вход", "Signed-in devices";
    this_device: "это устройство", "this device";
    signed_in_at: "вход", "signed in";
    last_seen: "активность", "last active";
    revoke: "Отключить", "Sign out";
    sign_out_everywhere: "Выйти на всех устройствах", "Sign out everywhere";
    sign_out: "Выйти", "Sign out";
    language: "Язык", "Language";
    users_title: "Пользователи", "Users";
    new_user_title: "Новый пользователь", "New user";
    role_select: "Роль", "Role";
    organisation_select: "Организация", "Organisation";
    create_user_button: "Создать и отправить приглашение", "Create and send invitation";
    link_recorded: "Ссылка для установки пароля поставлена в очередь отправки:", "A link to set the password was queued for delivery to:";
    reset_password_button: "Сбросить пароль", "Reset password";
    no_password_yet: "пароль не задан", "no password yet";
    inactive: "отключён", "disabled";
    set_password_title: "Новый пароль", "Choose a password";
    set_password_button: "Сохранить пароль", "Save password";
    password_set: "Пароль сохранён. Войдите с новым паролем.", "Password saved. Sign in with your new password.";
    not_found_title: "Страница не найдена", "Page not found";
    to_home: "На главную", "Go home";
    loading: "Загрузка…", "Loading…";
    err_unauthenticated: "Войдите, чтобы продолжить.", "Please sign in to continue.";
    err_forbidden: "Недостаточно прав для этого действия.", "You are not allowed to do this.";
    err_not_found: "Не найдено.", "Not found.";
    err_validation: "Проверьте выделенные поля.", "Please check the highlighted fields.";
    err_internal: "Что-то пошло не так. Мы уже разбираемся; номер запроса", "Something went wrong. We are looking into it; request";
    err_transport: "Нет связи с сервером. Проверьте подключение и повторите.", "No connection to the server. Check your network and try again.";
    mail_invite_subject: "Приглашение в Кабинет", "Your Kabinet invitation";
    mail_invite_body: "для вас создана учётная запись в Кабинете. Задайте пароль по ссылке (действует 7 дней):", "an account was created for you in Kabinet. Choose your password here (valid for 7 days):";
    mail_reset_subject: "Сброс пароля в Кабинете", "Kabinet password reset";
    mail_reset_body: "администратор сбросил ваш пароль. Задайте новый по ссылке (действует 24 часа):", "an administrator reset your password. Choose a new one here (valid for 24 hours):";
    nav_catalog: "Каталог", "Catalog";
    home_catalog_hint: "Поиск, фильтры, цены и наличие", "Search, filters, prices and stock";
    nav_cart: "Корзина", "Cart";
    home_cart_hint: "Товары к заказу и оформление", "Items to order and checkout";
    nav_orders: "Заказы", "Orders";
    home_orders_hint: "Статусы, оплата, документы, повтор заказа", "Statuses, payment, documents, repeat an order";
    nav_quick_order: "Быстрый заказ", "Quick order";
    home_quick_order_hint: "Вставьте список «артикул количество» или загрузите Excel/CSV", "Paste «article quantity» lines or upload Excel/CSV";
    in_stock: "В наличии", "In stock";
    out_of_stock: "Нет в наличии", "Out of stock";
    quantity_label: "Количество", "Quantity";
    add_to_cart: "В корзину", "Add to cart";
    added_to_cart: "В корзине ✓", "In the cart ✓";
    catalog_title: "Каталог", "Catalog";
    found: "Найдено", "Found";
    export_excel: "Скачать Excel", "Download Excel";
    nothing_found: "Ничего не найдено. Попробуйте другое слово или уберите фильтры.", "Nothing found. Try another word or remove filters.";
    search_label: "Поиск по каталогу", "Search the catalog";
    search_placeholder: "Например: котёл 24 кВт, кран 3/4", "For example: boiler 24 kW, valve 3/4";
    search_button: "Найти", "Search";
    filters: "Фильтры и сортировка", "Filters and sorting";
    sort_label: "Сортировка", "Sort by";
    only_in_stock: "Только в наличии", "In stock only";
    price_label: "Цена, ₽", "Price, ₽";
    price_from: "Цена от", "Price from";
    price_to: "Цена до", "Price to";
    brand_label: "Бренд", "Brand";
    apply_filters: "Показать", "Apply";
    reset_filters: "Сбросить", "Reset";
    sort_relevance: "По релевантности", "Best match";
    sort_price_asc: "Сначала дешевле", "Price: low to high";
    sort_price_desc: "Сначала дороже", "Price: high to low";
    sort_name: "По названию", "By name";
    prev_page: "← Назад", "← Previous";
    next_page: "Дальше →", "Next →";
    none_left: "нет", "none";
    article: "артикул", "article";
    warranty: "Гарантия", "Warranty";
    returns: "Возврат", "Returns";
    returnable: "можно вернуть в течение 14 дней", "can be returned within 14 days";
    not_returnable: "возврату не подлежит", "cannot be returned";
    analogs_hint: "Этого товара сейчас нет. Аналоги ниже есть в наличии.", "This product is out of stock. The analogs below are in stock.";
    analogs_title: "Аналоги в наличии", "Analogs in stock";
    stock_title: "Наличие по складам и пунктам выдачи", "Stock by warehouse and pickup point";
    specs_title: "Характеристики", "Specifications";
    cart_title: "Корзина", "Cart";
    prices_updated: "Цены обновились: итог пересчитан по данным сервера.", "Prices changed: the total was recalculated by the server.";
    cart_empty: "Корзина пуста.", "Your cart is empty.";
    to_catalog: "Перейти в каталог", "Go to the catalog";
    remove: "Удалить", "Remove";
    not_enough_stock: "На складах сейчас меньше этого количества.", "Less than this is in stock now.";
    subtotal: "Сумма без скидки", "Subtotal";
    discount: "Скидка", "Discount";
    total: "Итого", "Total";
    vat_included: "в т. ч. НДС", "incl. VAT";
    credit_allowed: "Заказ укладывается в кредитный лимит.", "The order fits the credit limit.";
    credit_needs_approval: "Заказ превышает доступный кредит: он будет отправлен на согласование руководителю.", "The order exceeds the available credit: it will wait for a head's approval.";
    credit_blocked: "Есть просроченная задолженность: новые заказы в кредит заблокированы до её погашения.", "There is overdue debt: new orders on credit are blocked until it is paid.";
    credit_limit: "Кредитный лимит", "Credit limit";
    credit_outstanding: "Текущий долг", "Outstanding";
    credit_available: "Доступно", "Available";
    credit_shortfall: "Не хватает", "Shortfall";
    credit_overdue: "Просрочено", "Overdue";
    credit_days_overdue: "Дней просрочки", "Days overdue";
    total_changed: "Пока вы оформляли заказ, цены изменились. Новый итог:", "Prices changed while you were checking out. The new total:";
    all_available: "всё в наличии", "everything in stock";
    available_lines: "в наличии позиций", "lines in stock";
    checkout_title: "Оформление заказа", "Checkout";
    guest_checkout_hint: "Оформите заказ без регистрации: мы создадим кабинет по номеру телефона и пришлём ссылку для входа.", "Order without registering: we will create an account for your phone and text you a sign-in link.";
    fulfilment_label: "Получение", "Fulfilment";
    pickup: "Самовывоз", "Pickup";
    delivery: "Доставка", "Delivery";
    pickup_point: "Пункт выдачи", "Pickup point";
    delivery_address: "Адрес доставки", "Delivery address";
    payment_label: "Оплата", "Payment";
    pay_by_invoice: "По счёту (в кредит, с отсрочкой)", "By invoice (on credit)";
    pay_online: "Онлайн сейчас", "Online now";
    pay_on_pickup: "При получении", "On pickup";
    comment_label: "Комментарий", "Comment";
    to_pay: "К оплате", "To pay";
    out_of_stock_at_point: "Недостаточно товара:", "Not enough stock:";
    placing_order: "Оформляем…", "Placing…";
    place_order: "Оформить заказ", "Place order";
    orders_title: "Мои заказы", "My orders";
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
    shipped_share: "Отгружено позиций", "Lines shipped";
    invoice: "Счёт", "Invoice";
    download_invoice: "Скачать счёт (PDF)", "Download invoice (PDF)";
    timeline: "История", "Timeline";
    next_steps: "Дальше", "Next";
    repeat_order: "Повторить заказ", "Repeat order";
    pay_now: "Оплатить онлайн", "Pay online";
    quick_order_title: "Быстрый заказ", "Quick order";
    quick_order_hint: "По строке на товар: артикул и количество через пробел, табуляцию или «;». Можно скопировать из Excel.", "One product per line: article and quantity separated by a space, a tab or «;». Copying from Excel works.";
    quick_order_lines: "Строки заказа", "Order lines";
    quick_order_file: "Или загрузите файл Excel (.xlsx) или CSV: артикул в первом столбце, количество во втором", "Or upload an Excel (.xlsx) or CSV file: article in the first column, quantity in the second";
    quick_order_upload: "Загрузить файл", "Upload the file";
    quick_order_submit: "Добавить в корзину", "Add to cart";
    quick_order_added: "Добавлено в корзину позиций", "Lines added to the cart";
    quick_order_rejected: "Не добавлены:", "Not added:";
    line: "Строка", "Line";
    staff_panel_title: "Цены и остатки (для сотрудников)", "Prices and stock (staff)";
    price_retail: "Розничная цена, ₽", "Retail price, ₽";
    price_wholesale: "Оптовая цена, ₽", "Wholesale price, ₽";
    price_dealer: "Дилерская цена, ₽", "Dealer price, ₽";
    stock_location: "Склад или пункт выдачи", "Warehouse or pickup point";
    stock_quantity: "Доступно, количество", "Available quantity";
    live_hint: "Открытые страницы каталога обновятся сами.", "Open catalog pages update by themselves.";
}

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Ru => &RU,
        Locale::En => &EN,
    }
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
    [identity::message, catalog::message, cart::message, ordering::message, payments::message, common_message]
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
