//! Cart area, texts: its interface phrases and the messages for its error codes, in Russian and
//! English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "quantity.malformed" => ("Количество должно быть числом.", "The quantity must be a number."),
        "quantity.not_positive" => ("Количество должно быть больше нуля.", "The quantity must be above zero."),
        "quantity.fraction_not_allowed" => {
            ("Этот товар продаётся только целыми штуками.", "This product is sold in whole units only.")
        }
        "quantity.too_precise" => ("Не больше трёх знаков после запятой.", "At most three digits after the point."),
        "quantity.too_large" => {
            ("Слишком большое количество: не больше миллиона.", "The quantity is too large: at most a million.")
        }
        "quick_order.unknown_sku" => ("Артикул не найден в каталоге.", "No product has this article."),
        "quick_order.no_quantity" => ("Не указано количество.", "No quantity given."),
        "quick_order.too_many_lines" => ("Не больше 1000 строк за раз.", "At most 1000 lines at a time."),
        "quick_order.too_large" => ("Слишком большой список.", "The list is too large."),
        "cart.empty" => ("Корзина пуста.", "The cart is empty."),
        _ => return None,
    })
}

super::phrases! {
    cart_title: "Корзина", "Cart";
    prices_updated: "Цены обновились: итог пересчитан по данным сервера.", "Prices changed: the total was recalculated by the server.";
    cart_empty: "Корзина пуста.", "Your cart is empty.";
    remove: "Удалить", "Remove";
    not_enough_stock: "На складах сейчас меньше этого количества.", "Less than this is in stock now.";
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
    guest_checkout_hint: "Оформите заказ без регистрации: подтвердите телефон кодом из SMS — мы создадим кабинет по этому номеру и пришлём ссылку, чтобы задать пароль. Если кабинет по номеру уже есть, вы войдёте в него.", "Order without registering: confirm your phone with the code we text you. We will create an account for this number and text you a link to choose a password; if the number already has an account, you will be signed in to it.";
    signed_in_at_checkout: "Телефон подтверждён: вы вошли в свой кабинет. Проверьте корзину и цены с вашей скидкой и оформите заказ.", "Phone confirmed: you are signed in to your account. Check the cart and your prices with your discount, then place the order.";
    fulfilment_label: "Получение", "Fulfilment";
    pickup_point: "Пункт выдачи", "Pickup point";
    delivery_address: "Адрес доставки", "Delivery address";
    pay_by_invoice: "По счёту (в кредит, с отсрочкой)", "By invoice (on credit)";
    pay_online: "Онлайн сейчас", "Online now";
    pay_on_pickup: "При получении", "On pickup";
    comment_label: "Комментарий", "Comment";
    to_pay: "К оплате", "To pay";
    out_of_stock_at_point: "Недостаточно товара:", "Not enough stock:";
    placing_order: "Оформляем…", "Placing…";
    place_order: "Оформить заказ", "Place order";
    quick_order_title: "Быстрый заказ", "Quick order";
    quick_order_hint: "По строке на товар: артикул и количество через пробел, табуляцию или «;». Можно скопировать из Excel.", "One product per line: article and quantity separated by a space, a tab or «;». Copying from Excel works.";
    quick_order_lines: "Строки заказа", "Order lines";
    quick_order_file: "Или загрузите файл Excel (.xlsx) или CSV: артикул в первом столбце, количество во втором", "Or upload an Excel (.xlsx) or CSV file: article in the first column, quantity in the second";
    quick_order_upload: "Загрузить файл", "Upload the file";
    quick_order_submit: "Добавить в корзину", "Add to cart";
    quick_order_added: "Добавлено в корзину позиций", "Lines added to the cart";
    quick_order_rejected: "Не добавлены:", "Not added:";
    line: "Строка", "Line";
}

/// This area's texts in the current language; re-read inside reactive closures.
pub fn t() -> &'static Texts {
    use leptos::prelude::Get;
    texts(super::use_locale().get())
}
