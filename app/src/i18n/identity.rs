//! Identity area, texts: its interface phrases and the messages for its error codes, in Russian and
//! English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "login.empty" => ("Введите e-mail или телефон.", "Enter your e-mail or phone."),
        "login.invalid" => ("Неверный логин или пароль.", "Wrong login or password."),
        "email.empty" => ("Введите e-mail.", "Enter an e-mail."),
        "email.too_long" => ("Слишком длинный e-mail.", "This e-mail is too long."),
        "email.malformed" => ("E-mail должен выглядеть как name@company.ru.", "An e-mail looks like name@company.com."),
        "email.taken" => ("Этот e-mail уже используется.", "This e-mail is already in use."),
        "phone.empty" => ("Введите телефон.", "Enter a phone number."),
        "phone.invalid_characters" => (
            "В телефоне допустимы цифры, пробелы, скобки и дефисы.",
            "A phone number may contain digits, spaces, brackets and dashes.",
        ),
        "phone.wrong_length" => {
            ("Телефон должен содержать 10 цифр после +7.", "A Russian number has 10 digits after +7.")
        }
        "phone.invalid_area_code" => ("Такого кода города или оператора нет.", "There is no such area code."),
        "phone.taken" => {
            ("Этот телефон уже зарегистрирован. Войдите.", "This phone is already registered. Please sign in.")
        }
        "phone.business_account" => (
            "Этот номер принадлежит учётной записи компании: войдите с паролем.",
            "This number belongs to a company account: please sign in with your password.",
        ),
        "code.missing" => ("Введите код из SMS.", "Enter the code from the SMS."),
        "code.wrong" => (
            "Код неверный или устарел. Проверьте цифры или запросите новый код.",
            "The code is wrong or expired. Check the digits or ask for a new code.",
        ),
        "sms.unavailable" => (
            "Отправка SMS сейчас не настроена, поэтому подтвердить телефон нельзя. Позвоните нам или войдите.",
            "Sending SMS is not set up, so the phone cannot be confirmed. Please call us or sign in.",
        ),
        "sms.refused" => (
            "На этот номер не удаётся отправить SMS. Укажите мобильный номер.",
            "An SMS cannot be sent to this number. Please give a mobile number.",
        ),
        "sms.failed" => (
            "SMS не отправилось из-за сбоя. Попробуйте ещё раз через минуту.",
            "The SMS could not be sent because of a fault. Please try again in a minute.",
        ),
        "password.empty" => ("Введите пароль.", "Enter your password."),
        "password.too_short" => {
            ("Пароль должен быть не короче 8 символов.", "The password must be at least 8 characters.")
        }
        "password.too_long" => {
            ("Пароль должен быть не длиннее 128 символов.", "The password must be at most 128 characters.")
        }
        "password.too_common" => ("Этот пароль слишком легко подобрать.", "This password is too easy to guess."),
        "password.wrong" => ("Текущий пароль указан неверно.", "The current password is wrong."),
        "password.mismatch" => ("Пароли не совпадают.", "The passwords do not match."),
        "name.empty" => ("Введите имя.", "Enter a name."),
        "name.too_long" => ("Имя слишком длинное.", "The name is too long."),
        "name.invalid_characters" => (
            "В имени допустимы буквы, пробелы, дефисы и точки.",
            "A name may contain letters, spaces, hyphens and dots.",
        ),
        "contact.required" => ("Укажите e-mail или телефон.", "Give an e-mail or a phone."),
        "role.unknown" => ("Выберите роль.", "Choose a role."),
        "role.wrong_organisation" => {
            ("Эта роль не подходит для выбранной организации.", "This role does not fit the chosen organisation.")
        }
        "organisation.unknown" => ("Выберите организацию.", "Choose an organisation."),
        "link.invalid" => (
            "Ссылка недействительна: устарела или уже использована. Запросите новую у администратора.",
            "This link is no longer valid: it expired or was used. Ask your administrator for a new one.",
        ),
        "requisite.malformed" => ("Реквизит указан неверно.", "This requisite is malformed."),
        "requisite.not_digits" => ("Реквизит состоит только из цифр.", "This requisite consists of digits only."),
        "requisite.wrong_length" => ("Неверное количество цифр.", "Wrong number of digits."),
        "requisite.bad_check_digit" => {
            ("Контрольное число не сходится: проверьте цифры.", "The check digit does not match: check the digits.")
        }
        _ => return None,
    })
}

super::phrases! {
    sign_in_title: "Вход в кабинет", "Sign in";
    identifier_label: "E-mail или телефон", "E-mail or phone";
    identifier_hint: "Например, name@company.ru или +7 912 345-67-89", "For example name@company.ru or +7 912 345-67-89";
    password_label: "Пароль", "Password";
    signing_in: "Входим…", "Signing in…";
    no_account: "Нет учётной записи?", "No account yet?";
    register_link: "Зарегистрироваться", "Register";
    have_account: "Уже зарегистрированы?", "Already registered?";
    register_title: "Регистрация покупателя", "Create a buyer account";
    email_label: "E-mail", "E-mail";
    password_hint: "Не короче 8 символов", "At least 8 characters";
    register_button: "Зарегистрироваться", "Register";
    code_label: "Код из SMS", "Code from the SMS";
    send_code_button: "Получить код", "Get a code";
    resend_code_button: "Отправить код ещё раз", "Send the code again";
    sending_code: "Отправляем…", "Sending…";
    code_sent: "Код отправлен на номер", "The code was sent to";
    code_valid_for: "Он действует, минут:", "It is valid for minutes:";
    sandbox_code: "Песочница SMS (демо): сообщение не отправлялось, код —", "SMS sandbox (demo): nothing was sent, the code is";
    sms_code: "Код подтверждения для Кабинета:", "Your Kabinet confirmation code:";
    profile_title: "Профиль", "Profile";
    contacts_title: "Контактные данные", "Contact details";
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
}

/// This area's texts in the current language; re-read inside reactive closures.
pub fn t() -> &'static Texts {
    use leptos::prelude::Get;
    texts(super::use_locale().get())
}
