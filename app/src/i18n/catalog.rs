//! Catalog area, texts: its interface phrases and the messages for its error codes, in Russian and
//! English.

/// (ru, en) for an error code of this area.
pub(super) fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "money.malformed" => ("Введите сумму числом, например 12 500,00.", "Enter an amount, for example 12500.00."),
        "money.fraction_of_kopeck" => ("Не больше двух знаков после запятой.", "At most two digits after the point."),
        "money.too_large" => ("Слишком большая сумма.", "The amount is too large."),
        "money.negative" => ("Цена не может быть отрицательной.", "A price cannot be negative."),
        "stock.location" => ("Выберите склад или пункт выдачи.", "Choose a warehouse or pickup point."),
        "money.currency_mismatch" => ("Суммы в разных валютах.", "The amounts are in different currencies."),
        _ => return None,
    })
}

super::phrases! {
    in_stock: "В наличии", "In stock";
    out_of_stock: "Нет в наличии", "Out of stock";
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
    staff_panel_title: "Цены и остатки (для сотрудников)", "Prices and stock (staff)";
    price_retail: "Розничная цена, ₽", "Retail price, ₽";
    price_wholesale: "Оптовая цена, ₽", "Wholesale price, ₽";
    price_dealer: "Дилерская цена, ₽", "Dealer price, ₽";
    stock_location: "Склад или пункт выдачи", "Warehouse or pickup point";
    stock_quantity: "Доступно, количество", "Available quantity";
    live_hint: "Открытые страницы каталога обновятся сами.", "Open catalog pages update by themselves.";
}

/// This area's texts in the current language; re-read inside reactive closures.
pub fn t() -> &'static Texts {
    use leptos::prelude::Get;
    texts(super::use_locale().get())
}
