//! Cart area: guest carts joining the account, quick orders from text and files, on both databases.

use app::model::{Cart, QuickOrderResult};

use crate::helpers::{Backend, DEMO_PASSWORD, add, location, search, spawn_app, stocked_at_pickup};

crate::on_both_backends!(
    guest_cart_joins_the_account_on_sign_in,
    a_form_post_without_javascript_goes_back_to_its_page,
    merged_quantities_stay_within_the_one_cap,
    quick_order_lists_what_it_could_not_read,
    quick_order_reads_excel_and_csv_files,
);

async fn guest_cart_joins_the_account_on_sign_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, _) = stocked_at_pickup(&app).await;
    let guest = app.client();
    let cart = add(&guest, product, "2").await.unwrap();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.total, cart.lines[0].list_price * 2 - cart.discount);
    // A fraction of a piece, nonsense and a missing product are refused with a reason.
    let fraction = add(&guest, product, "1,5").await.unwrap_err();
    assert_eq!((fraction.0, fraction.1.field_code("quantity")), (422, Some("quantity.fraction_not_allowed")));
    assert_eq!(add(&guest, product, "abc").await.unwrap_err().1.field_code("quantity"), Some("quantity.malformed"));
    assert_eq!(add(&guest, 999_999, "1").await.unwrap_err().0, 404);
    guest.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let mine: Cart = guest.call("get_cart", &[]).await.unwrap();
    assert_eq!(mine.lines.len(), 1);
    assert_eq!(mine.lines[0].quantity, 2000);
    // The demo buyer has 42 000 ₽ of purchases: no tier yet, so only the online-order promotion.
    let set: Cart = guest.call("cart_set", &[("product_id", &product.to_string()), ("quantity", "0")]).await.unwrap();
    assert!(set.lines.is_empty());
    // Staff do not have carts.
    let manager = app.client_from("10.0.0.3");
    manager.sign_in("manager@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(manager.call::<Cart>("get_cart", &[]).await.unwrap_err().0, 403);
}

async fn merged_quantities_stay_within_the_one_cap(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, _) = stocked_at_pickup(&app).await;
    // Over the cap is refused with the limit in the message.
    let browser = app.client();
    let over = add(&browser, product, "1000001").await.unwrap_err();
    assert_eq!(over.1.field_code("quantity"), Some("quantity.too_large"));
    // The account already holds 900 000; the guest cart adds 900 000 more on sign-in.
    let earlier = app.client_from("10.0.0.5");
    earlier.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    add(&earlier, product, "900000").await.unwrap();
    add(&browser, product, "900000").await.unwrap();
    browser.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let merged: Cart = browser.call("get_cart", &[]).await.unwrap();
    assert_eq!(merged.lines[0].quantity, 1_000_000_000, "a million units, not 1.8 million");
    // Priced as it is shown: a million units at the list price (no silent "1").
    assert_eq!(merged.gross, merged.lines[0].list_price * 1_000_000);
    // Adding more stays at the cap too.
    let more = add(&browser, product, "5").await.unwrap();
    assert_eq!(more.lines[0].quantity, 1_000_000_000);
    let stored = app
        .number("SELECT quantity FROM cart_items WHERE product_id = $1 ORDER BY quantity DESC LIMIT 1", product)
        .await;
    assert_eq!(stored, 1_000_000_000);
}

/// Add to cart without JavaScript is a plain form post: refused, the browser goes back to the
/// product with the reason in the address and the page shows it; added, back to the product; a
/// machine's call still gets the precise status.
async fn a_form_post_without_javascript_goes_back_to_its_page(backend: Backend) {
    use reqwest::header::{ACCEPT, REFERER};
    let app = spawn_app(backend).await;
    let (product, _) = stocked_at_pickup(&app).await;
    let browser = app.client();
    let page = format!("{}/catalog/{product}", browser.base);
    let post = |quantity: &str, accept: &str| {
        browser
            .http
            .post(format!("{}/api/cart_add", browser.base))
            .header(ACCEPT, accept)
            .header(REFERER, &page)
            .form(&[("product_id", product.to_string()), ("quantity", quantity.to_string())])
            .send()
    };
    let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let refused = post("два", html).await.unwrap();
    assert_eq!(refused.status(), 302);
    let back = location(&refused);
    assert!(back.starts_with(&page) && back.contains("__err="), "{back}");
    let shown = browser.http.get(&back).send().await.unwrap().text().await.unwrap();
    let notice = shown.split("data-testid=\"add-refused\"").nth(1).unwrap_or_default();
    assert!(notice.contains("Количество должно быть числом."), "the page shows why: {shown}");
    let added = post("2", html).await.unwrap();
    // (The redirect may keep an empty query: `…/catalog/3?`.)
    assert_eq!((added.status().as_u16(), location(&added).trim_end_matches('?')), (302, page.as_str()));
    let cart: Cart = browser.call("get_cart", &[]).await.unwrap();
    assert_eq!((cart.lines.len(), cart.lines[0].quantity), (1, 2000));
    assert_eq!(post("два", "application/json").await.unwrap().status(), 422);
}

/// An .xlsx whose only sheet has cells at A1 and XFD1048576: a dense reader would allocate rows ×
/// columns (about 17 billion cells) and abort the process.
fn sparse_sheet() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "A-1").unwrap();
    sheet.write_number(1_048_575, 16_383, 1.0).unwrap();
    book.save_to_buffer().unwrap()
}

async fn quick_order_lists_what_it_could_not_read(backend: Backend) {
    let app = spawn_app(backend).await;
    let pipes = search(&app.client(), "cat=pipes").await;
    let pipe = &pipes.items[0];
    let boiler = &search(&app.client(), "cat=boilers").await.items[0];
    let dealer = app.client();
    dealer.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    let text = format!(
        "Артикул\tКол-во\n{}\t12,5\n{} 2\nNO-SUCH-1 3\n{} 1,5\nпросто текст\n",
        pipe.sku, boiler.sku, boiler.sku
    );
    let result: QuickOrderResult = dealer.call("quick_order", &[("lines", &text)]).await.unwrap();
    assert_eq!(result.added.len(), 2);
    assert_eq!(result.added[0].2, 12_500);
    let codes: Vec<(usize, &str)> = result.rejected.iter().map(|r| (r.line, r.code.as_str())).collect();
    assert_eq!(
        codes,
        vec![(4, "quick_order.unknown_sku"), (5, "quantity.fraction_not_allowed"), (6, "quick_order.no_quantity")]
    );
    let cart: Cart = dealer.call("get_cart", &[]).await.unwrap();
    assert_eq!(cart.lines.len(), 2);
    // Retail buyers do not have quick order.
    let retail = app.client_from("10.0.0.9");
    retail.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(retail.call::<QuickOrderResult>("quick_order", &[("lines", "A 1")]).await.unwrap_err().0, 403);
}

async fn quick_order_reads_excel_and_csv_files(backend: Backend) {
    let app = spawn_app(backend).await;
    let pipe = search(&app.client(), "cat=pipes").await.items[0].sku.clone();
    let boiler = search(&app.client(), "cat=boilers").await.items[0].sku.clone();
    let dealer = app.client();
    dealer.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();

    // A workbook as 1C or a buyer's own spreadsheet would have it: a header row, numbers as numbers.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Артикул").unwrap();
    sheet.write_string(0, 1, "Количество").unwrap();
    sheet.write_string(1, 0, &pipe).unwrap();
    sheet.write_number(1, 1, 7.5).unwrap();
    sheet.write_string(2, 0, &boiler).unwrap();
    sheet.write_number(2, 1, 2).unwrap();
    sheet.write_string(3, 0, "NO-SUCH-1").unwrap();
    sheet.write_number(3, 1, 1).unwrap();
    let xlsx = book.save_to_buffer().unwrap();
    let result: QuickOrderResult = dealer.upload("quick_order_file", "заказ.xlsx", xlsx).await.unwrap();
    assert_eq!(
        result.added.iter().map(|a| (a.0.as_str(), a.2)).collect::<Vec<_>>(),
        vec![(pipe.as_str(), 7_500), (boiler.as_str(), 2_000)]
    );
    let codes: Vec<(usize, &str)> = result.rejected.iter().map(|r| (r.line, r.code.as_str())).collect();
    assert_eq!(codes, vec![(4, "quick_order.unknown_sku")]);

    // A CSV saved by Excel: BOM, semicolons, decimal comma; the quantity adds to what is there.
    let csv = format!("\u{feff}Артикул;Количество\r\n{pipe};\"2,5\"\r\n");
    let result: QuickOrderResult = dealer.upload("quick_order_file", "заказ.csv", csv.into_bytes()).await.unwrap();
    assert_eq!(result.added.len(), 1);
    let cart: Cart = dealer.call("get_cart", &[]).await.unwrap();
    let pipe_line = cart.lines.iter().find(|l| l.sku == pipe).unwrap();
    assert_eq!(pipe_line.quantity, 10_000);

    // Not a spreadsheet, an empty file, a broken workbook: a message for the file field, cart untouched.
    for (name, bytes, code) in [
        ("photo.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A], "upload.unreadable"),
        ("empty.csv", Vec::new(), "upload.empty"),
        ("broken.xlsx", b"PK\x03\x04not really a zip".to_vec(), "upload.unreadable"),
        // A sheet of two cells, at A1 and XFD1048576 (about a kilobyte): read cell by cell, refused.
        ("huge.xlsx", sparse_sheet(), "upload.too_many_cells"),
    ] {
        let (status, error) = dealer.upload::<QuickOrderResult>("quick_order_file", name, bytes).await.unwrap_err();
        assert_eq!((status, error.field_code("file")), (422, Some(code)), "{name}");
    }
    let after: Cart = dealer.call("get_cart", &[]).await.unwrap();
    assert_eq!(after.lines.len(), cart.lines.len());
    let too_big = vec![b'a'; 3 * 1024 * 1024];
    assert_eq!(
        dealer
            .upload::<QuickOrderResult>("quick_order_file", "big.csv", too_big)
            .await
            .unwrap_err()
            .1
            .field_code("file"),
        Some("upload.too_large")
    );
    // A machine posting something that is not multipart is told so, and nothing breaks.
    assert_eq!(dealer.call::<QuickOrderResult>("quick_order_file", &[("file", "A;1")]).await.unwrap_err().0, 415);
    assert_eq!(dealer.call::<Cart>("get_cart", &[]).await.unwrap().lines.len(), cart.lines.len());
    // Retail buyers do not have quick order; strangers must sign in.
    assert_eq!(
        app.client().upload::<QuickOrderResult>("quick_order_file", "a.csv", b"A;1".to_vec()).await.unwrap_err().0,
        401
    );
}
