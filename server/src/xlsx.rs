//! Excel workbooks (rust_xlsxwriter): the catalog, the staff orders queue.

use app::model::QueueRow;
use app::services::catalog::ExportRow;
use domain::Locale;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub fn catalog_workbook(rows: &[ExportRow], locale: Locale) -> Result<Vec<u8>, XlsxError> {
    let ru = locale == Locale::Ru;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(if ru { "Каталог" } else { "Catalog" })?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0.00");
    let qty = Format::new().set_num_format("0.###");
    let headers: [&str; 8] = if ru {
        ["Артикул", "Наименование", "Бренд", "Категория", "Ед.", "Цена по прайсу, ₽", "Ваша цена, ₽", "В наличии"]
    } else {
        ["Article", "Name", "Brand", "Category", "Unit", "List price, ₽", "Your price, ₽", "In stock"]
    };
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = (i + 1) as u32;
        let p = &row.card;
        sheet.write_string(r, 0, &p.sku)?;
        sheet.write_string(r, 1, &p.name)?;
        sheet.write_string(r, 2, &p.brand)?;
        sheet.write_string(r, 3, &p.category)?;
        sheet.write_string(r, 4, unit_name(p.unit, ru))?;
        sheet.write_number_with_format(r, 5, p.list_price as f64 / 100.0, &money)?;
        sheet.write_number_with_format(r, 6, p.price as f64 / 100.0, &money)?;
        sheet.write_number_with_format(r, 7, p.stock as f64 / 1000.0, &qty)?;
    }
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 16)?;
    sheet.set_column_width(3, 22)?;
    sheet.set_column_width(5, 16)?;
    sheet.set_column_width(6, 16)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, 7)?;
    book.save_to_buffer()
}

/// The staff queue's orders, one row each, as the queue lists them.
pub fn orders_workbook(rows: &[QueueRow], locale: Locale) -> Result<Vec<u8>, XlsxError> {
    let ru = locale == Locale::Ru;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(if ru { "Заказы" } else { "Orders" })?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0.00");
    let headers: [&str; 8] = if ru {
        ["Номер", "Дата (МСК)", "Организация", "Покупатель", "Канал", "Статус", "Оплата", "Сумма, ₽"]
    } else {
        ["Number", "Date (Moscow)", "Organisation", "Buyer", "Channel", "Status", "Payment", "Total, ₽"]
    };
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let moscow = domain::locale::moscow();
    for (i, row) in rows.iter().enumerate() {
        let r = (i + 1) as u32;
        sheet.write_number(r, 0, row.id as f64)?;
        sheet.write_string(r, 1, row.created_at.with_timezone(&moscow).format("%Y-%m-%d %H:%M").to_string())?;
        sheet.write_string(r, 2, &row.organisation)?;
        sheet.write_string(r, 3, &row.buyer)?;
        sheet.write_string(r, 4, row.channel.code())?;
        sheet.write_string(r, 5, app::i18n::order_status_name(locale, row.status))?;
        sheet.write_string(r, 6, app::i18n::payment_status_name(locale, row.payment_status))?;
        sheet.write_number_with_format(r, 7, row.total as f64 / 100.0, &money)?;
    }
    for (c, w) in [(1, 17), (2, 36), (3, 28), (5, 20), (6, 16), (7, 16)] {
        sheet.set_column_width(c, w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, 7)?;
    book.save_to_buffer()
}

fn unit_name(unit: domain::Unit, ru: bool) -> &'static str {
    match (unit, ru) {
        (domain::Unit::Pcs, true) => "шт",
        (domain::Unit::M, true) => "м",
        (domain::Unit::Kg, true) => "кг",
        (domain::Unit::Set, true) => "компл",
        (domain::Unit::Pcs, false) => "pcs",
        (domain::Unit::M, false) => "m",
        (domain::Unit::Kg, false) => "kg",
        (domain::Unit::Set, false) => "set",
    }
}
