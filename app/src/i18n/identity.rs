//! Identity area, texts: the messages for its error codes, in Russian and English.

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
