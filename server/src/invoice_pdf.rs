//! The invoice (счёт на оплату) of an order as a PDF, in DejaVu Sans (Cyrillic glyphs), with the
//! seller's bank requisites, both parties, the lines, VAT and the total in words.

use app::model::{InvoiceView, OrderDetail};
use app::ports::Requisites;
use domain::{Currency, Locale, Money};
use printpdf::{IndirectFontRef, Line, Mm, PdfDocument, PdfLayerReference, Point};

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// Lines per page of the table.
const ROWS_PER_PAGE: usize = 32;

fn rub(kopecks: i64) -> String {
    // Invoices show amounts without the currency sign: «1 234,56».
    Money::from_minor(kopecks, Currency::Rub)
        .format(Locale::Ru)
        .trim_end_matches(" ₽")
        .trim_end_matches('₽')
        .trim()
        .to_string()
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// A requisite or "—" when it is not filled in.
fn opt<T: Requisite>(v: &Option<T>) -> &str {
    v.as_ref().map_or("—", Requisite::text)
}

/// What is printed of a requisite.
trait Requisite {
    fn text(&self) -> &str;
}

impl Requisite for String {
    fn text(&self) -> &str {
        self
    }
}

macro_rules! printed {
    ($($t:ty),*) => { $(impl Requisite for $t { fn text(&self) -> &str { self.as_str() } })* };
}
printed!(domain::Inn, domain::Kpp, domain::Bik, domain::SettlementAccount);

struct Pen<'a> {
    layer: PdfLayerReference,
    regular: &'a IndirectFontRef,
    bold: &'a IndirectFontRef,
}

impl Pen<'_> {
    fn text(&self, text: &str, size: f32, x: f32, y: f32) {
        self.layer.use_text(text, size, Mm(x), Mm(y), self.regular);
    }

    fn bold(&self, text: &str, size: f32, x: f32, y: f32) {
        self.layer.use_text(text, size, Mm(x), Mm(y), self.bold);
    }

    fn rule(&self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.layer.add_line(Line {
            points: vec![(Point::new(Mm(x1), Mm(y1)), false), (Point::new(Mm(x2), Mm(y2)), false)],
            is_closed: false,
        });
    }

    /// Right-aligned text ending at `right` (DejaVu Sans digits are about 0.55 em wide).
    fn right(&self, text: &str, size: f32, right: f32, y: f32) {
        let width = text.chars().count() as f32 * size * 0.55 * 0.3528;
        self.text(text, size, right - width, y);
    }
}

/// Renders the invoice. CPU work: call it from a blocking task.
pub fn render(
    order: &OrderDetail,
    invoice: &InvoiceView,
    seller: &Requisites,
    buyer: &Requisites,
) -> Result<Vec<u8>, String> {
    let title = format!("Счёт на оплату № {} от {}", invoice.number, Locale::Ru.format_date(invoice.issued_on));
    let (doc, page, layer) = PdfDocument::new(&title, Mm(210.0), Mm(297.0), "invoice");
    let regular = doc.add_external_font(REGULAR).map_err(|e| e.to_string())?;
    let bold = doc.add_external_font(BOLD).map_err(|e| e.to_string())?;
    let mut pen = Pen { layer: doc.get_page(page).get_layer(layer), regular: &regular, bold: &bold };

    // Bank block.
    let mut y = 280.0;
    pen.text(&format!("Банк получателя: {}", opt(&seller.bank_name)), 9.0, 15.0, y);
    pen.text(
        &format!("БИК {}   Корр. счёт {}", opt(&seller.bik), opt(&seller.correspondent_account)),
        9.0,
        15.0,
        y - 5.0,
    );
    pen.text(
        &format!(
            "ИНН {}   КПП {}   Расчётный счёт {}",
            opt(&seller.inn),
            opt(&seller.kpp),
            opt(&seller.settlement_account)
        ),
        9.0,
        15.0,
        y - 10.0,
    );
    pen.text(&format!("Получатель: {}", seller.name), 9.0, 15.0, y - 15.0);
    pen.rule(15.0, y - 18.0, 195.0, y - 18.0);
    y -= 28.0;
    pen.bold(&title, 14.0, 15.0, y);
    y -= 10.0;
    let party = |label: &str, r: &Requisites| {
        format!("{label}: {}, ИНН {}, КПП {}, {}", r.name, opt(&r.inn), opt(&r.kpp), opt(&r.address))
    };
    pen.text(&clip(&party("Поставщик", seller), 100), 9.0, 15.0, y);
    pen.text(&clip(&party("Покупатель", buyer), 100), 9.0, 15.0, y - 5.0);
    pen.text(&format!("Основание: заказ № {}", order.id), 9.0, 15.0, y - 10.0);
    y -= 18.0;

    let header = |pen: &Pen, y: f32| {
        pen.bold("№", 8.0, 15.0, y);
        pen.bold("Артикул", 8.0, 22.0, y);
        pen.bold("Товар", 8.0, 45.0, y);
        pen.bold("Кол-во", 8.0, 106.0, y);
        pen.bold("Цена", 8.0, 130.0, y);
        pen.bold("НДС", 8.0, 152.0, y);
        pen.bold("Сумма", 8.0, 180.0, y);
        pen.rule(15.0, y - 2.0, 195.0, y - 2.0);
    };
    header(&pen, y);
    y -= 7.0;
    // Every position is printed as domain::pricing::document gives it: price × quantity = sum.
    let document = order.document();
    for (i, position) in document.lines.iter().enumerate() {
        if i > 0 && i % ROWS_PER_PAGE == 0 {
            let (next_page, next_layer) = doc.add_page(Mm(210.0), Mm(297.0), "invoice");
            pen = Pen { layer: doc.get_page(next_page).get_layer(next_layer), regular: &regular, bold: &bold };
            y = 280.0;
            header(&pen, y);
            y -= 7.0;
        }
        let line = &order.lines[position.line];
        let qty = app::model::quantity_input(position.quantity.thousandths());
        let unit = match line.unit {
            domain::Unit::Pcs => "шт",
            domain::Unit::M => "м",
            domain::Unit::Kg => "кг",
            domain::Unit::Set => "компл",
        };
        let vat = match position.vat_rate {
            domain::VatRate::Exempt => "без НДС".to_string(),
            domain::VatRate::Percent(rate) => format!("{rate}% {}", rub(position.vat)),
        };
        pen.text(&(i + 1).to_string(), 8.0, 15.0, y);
        pen.text(&clip(&line.sku, 12), 8.0, 22.0, y);
        pen.text(&clip(&line.name, 32), 8.0, 45.0, y);
        pen.right(&format!("{qty} {unit}"), 8.0, 122.0, y);
        pen.right(&rub(position.price), 8.0, 145.0, y);
        pen.right(&vat, 8.0, 172.0, y);
        pen.right(&rub(position.sum), 8.0, 195.0, y);
        y -= 6.0;
    }
    pen.rule(15.0, y + 3.0, 195.0, y + 3.0);
    y -= 3.0;
    pen.bold("Итого:", 9.0, 140.0, y);
    pen.right(&rub(document.total), 9.0, 195.0, y);
    pen.text("В том числе НДС:", 9.0, 140.0, y - 5.0);
    pen.right(&rub(document.vat), 9.0, 195.0, y - 5.0);
    // An instalment of a payment schedule asks for its own part of the order.
    let to_pay = invoice.amount;
    let label = match invoice.instalment {
        Some(k) => format!("К оплате (платёж {k}):"),
        None => "Всего к оплате:".to_string(),
    };
    pen.bold(&label, 9.0, 130.0, y - 10.0);
    pen.right(&rub(to_pay), 9.0, 195.0, y - 10.0);
    y -= 20.0;
    pen.text(&format!("Всего наименований {}, на сумму {} руб.", order.lines.len(), rub(document.total)), 9.0, 15.0, y);
    if let Some(k) = invoice.instalment {
        pen.text(
            &format!("Платёж {k} по графику платежей заказа № {}: {} руб.", order.id, rub(to_pay)),
            9.0,
            15.0,
            y + 5.0,
        );
    }
    pen.bold(&clip(&domain::words::rubles_in_words(to_pay), 100), 9.0, 15.0, y - 5.0);
    pen.text(&format!("Оплатить не позднее {}.", Locale::Ru.format_date(invoice.due_on)), 9.0, 15.0, y - 12.0);
    pen.rule(15.0, y - 16.0, 195.0, y - 16.0);
    pen.text("Руководитель ____________________     Бухгалтер ____________________", 9.0, 15.0, y - 26.0);
    doc.save_to_bytes().map_err(|e| e.to_string())
}
