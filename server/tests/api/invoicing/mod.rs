//! Invoicing area: the invoice PDF read back as an accountant reads it — every printed position is
//! its unit price × its quantity, the positions add up to the printed total and VAT — on both
//! databases, for a fresh order and for a line stored before the per-unit rule; bank payments and
//! payment checks in `payment_checks`.

mod payment_checks;
mod schedules;

use std::collections::BTreeMap;

use app::model::{CheckoutOutcome, OrderDetail};
use domain::pricing::line_sum;
use domain::{Quantity, Unit};
use lopdf::{Document, Object};

use crate::helpers::{Backend, Client, DEMO_PASSWORD, add, checkout_delivery, spawn_app};

crate::on_both_backends!(invoice_positions_add_up_to_the_kopeck,);

/// One printed row of text: the runs at one height, left to right.
type Row = Vec<String>;

/// The text of a PDF made by printpdf, row by row (top to bottom): glyph ids are mapped back to
/// characters through each font's ToUnicode map, runs are grouped by their baseline.
fn pdf_rows(bytes: &[u8]) -> Vec<Row> {
    let doc = Document::load_mem(bytes).expect("a readable PDF");
    let mut rows = Vec::new();
    for (_, page) in doc.get_pages() {
        let mut maps: BTreeMap<Vec<u8>, BTreeMap<u16, char>> = BTreeMap::new();
        // printpdf refers to the resources and fonts indirectly.
        let deref = |o: &Object| match o {
            Object::Reference(id) => doc.get_object(*id).expect("a referenced object").clone(),
            o => o.clone(),
        };
        let page_dict = doc.get_object(page).and_then(Object::as_dict).expect("a page");
        let resources = deref(page_dict.get(b"Resources").expect("resources"));
        let fonts = deref(resources.as_dict().unwrap().get(b"Font").expect("fonts"));
        for (name, font) in fonts.as_dict().unwrap().iter() {
            let font = deref(font);
            let cmap = font
                .as_dict()
                .unwrap()
                .get(b"ToUnicode")
                .and_then(Object::as_reference)
                .and_then(|id| doc.get_object(id));
            let Ok(Object::Stream(stream)) = cmap else { continue };
            let text = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            let text = String::from_utf8_lossy(&text);
            let mut map = BTreeMap::new();
            for line in text.lines() {
                let hex: Vec<&str> = line.split(['<', '>']).map(str::trim).filter(|s| !s.is_empty()).collect();
                if let [glyph, code] = hex[..]
                    && let (Ok(g), Ok(c)) = (u16::from_str_radix(glyph, 16), u32::from_str_radix(code, 16))
                    && let Some(c) = char::from_u32(c)
                {
                    map.insert(g, c);
                }
            }
            maps.insert(name.clone(), map);
        }
        let content = doc.get_and_decode_page_content(page).expect("page content");
        let (mut font, mut at) = (Vec::new(), (0.0_f32, 0.0_f32));
        let mut runs: Vec<(f32, f32, String)> = Vec::new();
        let num = |o: &Object| match o {
            Object::Integer(i) => *i as f32,
            Object::Real(r) => *r,
            _ => 0.0,
        };
        for op in content.operations {
            match (op.operator.as_str(), &op.operands[..]) {
                ("Tf", [Object::Name(name), ..]) => font = name.clone(),
                ("Td", [x, y]) => at = (num(x), num(y)),
                ("Tj", [Object::String(glyphs, _)]) => {
                    let map = &maps[&font];
                    let text = glyphs.chunks(2).map(|g| map[&u16::from_be_bytes([g[0], g[1]])]).collect();
                    runs.push((at.1, at.0, text));
                }
                _ => {}
            }
        }
        runs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
        let mut last_y = f32::NAN;
        for (y, _, text) in runs {
            if (y - last_y).abs() > 0.5 || last_y.is_nan() {
                rows.push(Vec::new());
                last_y = y;
            }
            rows.last_mut().unwrap().push(text);
        }
    }
    rows
}

/// `35 102,03` (any spaces) → 3510203 kopecks.
fn kopecks(text: &str) -> i64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == ',').collect();
    let (rub, kop) = digits.split_once(',').expect(text);
    rub.parse::<i64>().unwrap() * 100 + kop.parse::<i64>().unwrap()
}

/// A printed position: №, article, name, quantity with unit, price, VAT, sum.
struct Printed {
    quantity: Quantity,
    price: i64,
    vat: i64,
    sum: i64,
}

fn positions(rows: &[Row]) -> Vec<Printed> {
    rows.iter()
        .filter(|r| r.len() == 7 && r[0].parse::<u32>().is_ok())
        .map(|r| {
            let (qty, unit) = r[3].split_once(' ').expect("quantity and unit");
            let unit = if unit == "м" { Unit::M } else { Unit::Pcs };
            let vat = r[5].split_once("% ").map_or(0, |(_, amount)| kopecks(amount));
            Printed { quantity: Quantity::parse(qty, unit).unwrap(), price: kopecks(&r[4]), vat, sum: kopecks(&r[6]) }
        })
        .collect()
}

/// The amount printed after a label (`Итого:`, `В том числе НДС:`).
fn printed_after(rows: &[Row], label: &str) -> i64 {
    let row = rows.iter().find(|r| r.first().is_some_and(|t| t == label)).expect(label);
    kopecks(&row[1])
}

fn check_adds_up(rows: &[Row], total: i64) -> Vec<Printed> {
    let printed = positions(rows);
    assert!(!printed.is_empty(), "no positions in {rows:?}");
    for p in &printed {
        assert_eq!(line_sum(p.price, p.quantity), Ok(p.sum), "price × quantity = sum on every printed line");
    }
    assert_eq!(printed.iter().map(|p| p.sum).sum::<i64>(), printed_after(rows, "Итого:"));
    assert_eq!(printed_after(rows, "Итого:"), total);
    assert_eq!(printed.iter().map(|p| p.vat).sum::<i64>(), printed_after(rows, "В том числе НДС:"));
    printed
}

async fn invoice(buyer: &Client, order_id: i64) -> Vec<Row> {
    let pdf = buyer.get(&format!("/orders/{order_id}/invoice.pdf")).await;
    assert_eq!(pdf.status(), 200);
    pdf_rows(&pdf.bytes().await.unwrap())
}

async fn invoice_positions_add_up_to_the_kopeck(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = app.client();
    // A wholesale client: its own price type and a 3 % personal discount spread over the lines.
    buyer.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    let metres =
        app.number("SELECT id FROM products WHERE unit = 'm' AND stock_total >= $1 ORDER BY id LIMIT 1", 13_000).await;
    let pieces = app
        .number(
            "SELECT id FROM products WHERE unit = 'pcs' AND stock_total >= $1 ORDER BY price_wholesale DESC LIMIT 3",
            3_000,
        )
        .await;
    let cheap = app
        .number(
            "SELECT id FROM products WHERE unit = 'pcs' AND stock_total >= $1 ORDER BY price_wholesale LIMIT 1",
            7_000,
        )
        .await;
    add(&buyer, pieces, "2").await.unwrap();
    add(&buyer, metres, "12,5").await.unwrap();
    let cart = add(&buyer, cheap, "7").await.unwrap();
    let outcome = checkout_delivery(&buyer, "invoice", cart.total).await.unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = outcome else { panic!("{outcome:?}") };
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert!(order.discount > 0, "the personal discount applies");

    // The PDF prints what the order page shows: one position per line, each adding up.
    let printed = check_adds_up(&invoice(&buyer, order_id).await, order.total);
    let document = order.document();
    assert_eq!(printed.len(), 3);
    for (p, d) in printed.iter().zip(&document.lines) {
        assert_eq!(
            (p.price, p.quantity.thousandths(), p.sum, p.vat),
            (d.price, d.quantity.thousandths(), d.sum, d.vat)
        );
    }

    // A line stored before the rule (2 units for an odd number of kopecks, as on the invoice an
    // accountant rejected) prints as two positions that keep its sum; nothing stored changes.
    app.exec("UPDATE order_lines SET total = total + 1 WHERE order_id = $1 AND product_id = $2", order_id, pieces)
        .await;
    app.exec("UPDATE orders SET total = total + $2 WHERE id = $1", order_id, 1).await;
    let printed = check_adds_up(&invoice(&buyer, order_id).await, order.total + 1);
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    let document = order.document();
    assert_eq!(printed.len(), 4);
    for (p, d) in printed.iter().zip(&document.lines) {
        assert_eq!(
            (p.price, p.quantity.thousandths(), p.sum, p.vat),
            (d.price, d.quantity.thousandths(), d.sum, d.vat)
        );
    }
    let index = order.lines.iter().position(|l| l.product_id == pieces).unwrap();
    let split: Vec<_> = document.positions(index).collect();
    assert_eq!(split.len(), 2);
    assert_eq!(split[0].price + 1, split[1].price);
    assert_eq!(split[0].sum + split[1].sum, order.lines[index].total);
    assert_eq!(order.lines[index].total % 2, 1, "the stored sum is kept as it was");
}
