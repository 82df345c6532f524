//! Interface texts in Russian (default) and English, and the messages for error codes.

use domain::{Locale, OrgKind, Role};
use leptos::prelude::*;

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
}

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Ru => &RU,
        Locale::En => &EN,
    }
}

/// The interface language as a signal, provided by the application root.
pub fn use_locale() -> RwSignal<Locale> {
    expect_context::<RwSignal<Locale>>()
}

/// Texts of the current language; re-read inside reactive closures to follow language changes.
pub fn t() -> &'static Texts {
    texts(use_locale().get())
}

pub fn role_name(locale: Locale, role: Role) -> &'static str {
    let ru = locale == Locale::Ru;
    match role {
        Role::RetailBuyer => if ru { "Розничный покупатель" } else { "Retail buyer" },
        Role::WholesaleBuyer => if ru { "Оптовый покупатель" } else { "Wholesale buyer" },
        Role::DealerManager => if ru { "Менеджер дилера" } else { "Dealer manager" },
        Role::DealerServiceEngineer => if ru { "Сервисный инженер дилера" } else { "Dealer service engineer" },
        Role::DealerEmployee => if ru { "Сотрудник дилера" } else { "Dealer employee" },
        Role::Supplier => if ru { "Поставщик" } else { "Supplier" },
        Role::SalesManager => if ru { "Менеджер по продажам" } else { "Sales manager" },
        Role::Head => if ru { "Руководитель региона" } else { "Regional head" },
        Role::Cashier => if ru { "Кассир" } else { "Cashier" },
        Role::ServiceEngineer => if ru { "Сервисный инженер" } else { "Service engineer" },
        Role::Admin => if ru { "Администратор" } else { "Administrator" },
    }
}

pub fn org_kind_name(locale: Locale, kind: OrgKind) -> &'static str {
    let ru = locale == Locale::Ru;
    match kind {
        OrgKind::Seller => if ru { "Продавец" } else { "Seller" },
        OrgKind::Client => if ru { "Клиент" } else { "Client" },
        OrgKind::Dealer => if ru { "Дилер" } else { "Dealer" },
        OrgKind::Supplier => if ru { "Поставщик" } else { "Supplier" },
        OrgKind::Person => if ru { "Частное лицо" } else { "Private person" },
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

/// The message for a stable error code from the domain or the server.
pub fn code_message(locale: Locale, code: &str) -> String {
    let ru = locale == Locale::Ru;
    let (r, e) = match code {
        "login.empty" => ("Введите e-mail или телефон.", "Enter your e-mail or phone."),
        "login.invalid" => ("Неверный логин или пароль.", "Wrong login or password."),
        "email.empty" => ("Введите e-mail.", "Enter an e-mail."),
        "email.too_long" => ("Слишком длинный e-mail.", "This e-mail is too long."),
        "email.malformed" => ("E-mail должен выглядеть как name@company.ru.", "An e-mail looks like name@company.com."),
        "email.taken" => ("Этот e-mail уже используется.", "This e-mail is already in use."),
        "phone.empty" => ("Введите телефон.", "Enter a phone number."),
        "phone.invalid_characters" => ("В телефоне допустимы цифры, пробелы, скобки и дефисы.", "A phone number may contain digits, spaces, brackets and dashes."),
        "phone.wrong_length" => ("Телефон должен содержать 10 цифр после +7.", "A Russian number has 10 digits after +7."),
        "phone.invalid_area_code" => ("Такого кода города или оператора нет.", "There is no such area code."),
        "phone.taken" => ("Этот телефон уже зарегистрирован. Войдите.", "This phone is already registered. Please sign in."),
        "password.empty" => ("Введите пароль.", "Enter your password."),
        "password.too_short" => ("Пароль должен быть не короче 8 символов.", "The password must be at least 8 characters."),
        "password.too_long" => ("Пароль должен быть не длиннее 128 символов.", "The password must be at most 128 characters."),
        "password.too_common" => ("Этот пароль слишком легко подобрать.", "This password is too easy to guess."),
        "password.wrong" => ("Текущий пароль указан неверно.", "The current password is wrong."),
        "password.mismatch" => ("Пароли не совпадают.", "The passwords do not match."),
        "name.empty" => ("Введите имя.", "Enter a name."),
        "name.too_long" => ("Имя слишком длинное.", "The name is too long."),
        "name.invalid_characters" => ("В имени допустимы буквы, пробелы, дефисы и точки.", "A name may contain letters, spaces, hyphens and dots."),
        "contact.required" => ("Укажите e-mail или телефон.", "Give an e-mail or a phone."),
        "role.unknown" => ("Выберите роль.", "Choose a role."),
        "role.wrong_organisation" => ("Эта роль не подходит для выбранной организации.", "This role does not fit the chosen organisation."),
        "organisation.unknown" => ("Выберите организацию.", "Choose an organisation."),
        "link.invalid" => ("Ссылка недействительна: устарела или уже использована. Запросите новую у администратора.", "This link is no longer valid: it expired or was used. Ask your administrator for a new one."),
        "request.malformed" => ("Запрос не удалось прочитать. Обновите страницу и повторите.", "The request could not be read. Reload the page and try again."),
        "server.internal" => ("Что-то пошло не так. Повторите попытку.", "Something went wrong. Please try again."),
        _ => ("Проверьте значение.", "Please check this value."),
    };
    (if ru { r } else { e }).to_string()
}
