//! The demo catalog (about 300 engineering-equipment products with Russian names, attributes,
//! prices and stock) and the generator of large catalogs for load tests
//! (`server generate-catalog 100000`). Deterministic: the same size always gives the same catalog.

use chrono::Utc;

use crate::db::{Db, on_db};

/// A small deterministic random generator (xorshift64*), enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A kind of product: how names, attributes and prices are made up.
struct Template {
    category: &'static str,
    prefix: &'static str,
    kinds: &'static [&'static str],
    brands: &'static [&'static str],
    unit: &'static str,
    /// (attribute, values); the first one also groups analogs and goes into the name.
    attributes: &'static [(&'static str, &'static [&'static str])],
    /// Base retail price in roubles and how much each step of the first attribute adds.
    base: i64,
    step: i64,
    warranty: i32,
    returnable: bool,
    description: &'static str,
}

const CATEGORIES: &[(&str, Option<&str>, &str)] = &[
    ("heating", None, "Отопление"),
    ("boilers", Some("heating"), "Котлы"),
    ("radiators", Some("heating"), "Радиаторы"),
    ("water", None, "Водоснабжение"),
    ("pumps", Some("water"), "Насосы"),
    ("water-heaters", Some("water"), "Водонагреватели"),
    ("pipes", Some("water"), "Трубы"),
    ("fittings", Some("water"), "Фитинги"),
    ("valves", Some("water"), "Запорная арматура"),
    ("ventilation", None, "Вентиляция"),
    ("fans", Some("ventilation"), "Вентиляторы"),
    ("ducts", Some("ventilation"), "Воздуховоды"),
    ("parts", None, "Запчасти"),
    ("boiler-parts", Some("parts"), "Запчасти для котлов"),
];

const TEMPLATES: &[Template] = &[
    Template {
        category: "boilers",
        prefix: "BLR",
        kinds: &[
            "Котёл газовый настенный",
            "Котёл газовый напольный",
            "Котёл электрический настенный",
            "Котёл конденсационный",
        ],
        brands: &["Baxi", "Navien", "Vaillant", "Bosch", "Protherm", "Buderus"],
        unit: "pcs",
        attributes: &[
            ("Мощность, кВт", &["12", "18", "24", "28", "35"]),
            ("Контуры", &["одноконтурный", "двухконтурный"]),
            ("Камера сгорания", &["закрытая", "открытая"]),
        ],
        base: 38_000,
        step: 6_500,
        warranty: 36,
        returnable: true,
        description: "Для отопления и горячего водоснабжения частного дома или квартиры. Погодозависимая автоматика, защита от замерзания, русифицированный дисплей.",
    },
    Template {
        category: "radiators",
        prefix: "RAD",
        kinds: &["Радиатор биметаллический", "Радиатор алюминиевый", "Радиатор стальной панельный"],
        brands: &["Rifar", "Royal Thermo", "Global", "Kermi", "Oasis"],
        unit: "pcs",
        attributes: &[
            ("Секций", &["4", "6", "8", "10", "12"]),
            ("Межосевое расстояние, мм", &["350", "500"]),
            ("Подключение", &["боковое", "нижнее"]),
        ],
        base: 4_200,
        step: 2_100,
        warranty: 120,
        returnable: true,
        description: "Рабочее давление до 20 атм, подходит для центрального и автономного отопления. Порошковая окраска, белый цвет RAL 9016.",
    },
    Template {
        category: "pumps",
        prefix: "PMP",
        kinds: &["Насос циркуляционный", "Насос скважинный", "Насосная станция", "Насос дренажный"],
        brands: &["Grundfos", "Wilo", "DAB", "Джилекс", "Unipump"],
        unit: "pcs",
        attributes: &[
            ("Напор, м", &["4", "6", "8", "40", "60"]),
            ("Присоединение", &["G 1\"", "G 1 1/4\"", "G 1/2\""]),
            ("Подача, м³/ч", &["2,5", "3,6", "4,5"]),
        ],
        base: 6_900,
        step: 3_300,
        warranty: 24,
        returnable: true,
        description: "Для систем отопления, водоснабжения и водоотведения. Защита от сухого хода и перегрева, низкий уровень шума.",
    },
    Template {
        category: "water-heaters",
        prefix: "WH",
        kinds: &[
            "Водонагреватель накопительный электрический",
            "Водонагреватель проточный",
            "Бойлер косвенного нагрева",
        ],
        brands: &["Ariston", "Thermex", "Electrolux", "Drazice", "Gorenje"],
        unit: "pcs",
        attributes: &[
            ("Объём, л", &["30", "50", "80", "100", "150"]),
            ("Установка", &["вертикальная", "горизонтальная"]),
        ],
        base: 9_500,
        step: 2_800,
        warranty: 60,
        returnable: true,
        description: "Эмалированный бак, магниевый анод, регулировка температуры до 75 °C, защита от накипи.",
    },
    Template {
        category: "pipes",
        prefix: "PIP",
        kinds: &[
            "Труба полипропиленовая PN20",
            "Труба металлопластиковая",
            "Труба из сшитого полиэтилена PEX-a",
            "Труба полипропиленовая армированная",
        ],
        brands: &["Valtec", "Rehau", "Pro Aqua", "Uponor", "FV-Plast"],
        unit: "m",
        attributes: &[
            ("Диаметр, мм", &["16", "20", "25", "32", "40"]),
            ("Назначение", &["отопление", "водоснабжение"]),
        ],
        base: 45,
        step: 38,
        warranty: 60,
        returnable: true,
        description: "Продаётся на метры, отрез любой длины. Рабочая температура до 95 °C.",
    },
    Template {
        category: "fittings",
        prefix: "FIT",
        kinds: &["Муфта", "Уголок 90°", "Тройник", "Переходник", "Заглушка"],
        brands: &["Valtec", "TIM", "Pro Aqua", "Rehau"],
        unit: "pcs",
        attributes: &[("Диаметр, мм", &["16", "20", "25", "32"]), ("Соединение", &["пайка", "резьба", "пресс"])],
        base: 25,
        step: 18,
        warranty: 12,
        returnable: true,
        description: "Соединительный элемент трубопровода. Материал — полипропилен или латунь в зависимости от исполнения.",
    },
    Template {
        category: "valves",
        prefix: "VLV",
        kinds: &[
            "Кран шаровой латунный",
            "Клапан обратный",
            "Фильтр сетчатый косой",
            "Клапан термостатический",
            "Редуктор давления",
        ],
        brands: &["Valtec", "Danfoss", "Giacomini", "Bugatti", "Itap"],
        unit: "pcs",
        attributes: &[
            ("Диаметр, дюйм", &["1/2", "3/4", "1", "1 1/4"]),
            ("Резьба", &["внутренняя", "наружная", "внутренняя-наружная"]),
        ],
        base: 380,
        step: 260,
        warranty: 84,
        returnable: true,
        description: "Для систем водоснабжения и отопления. Никелированная латунь, рабочее давление до 40 бар.",
    },
    Template {
        category: "fans",
        prefix: "FAN",
        kinds: &["Вентилятор канальный", "Вентилятор осевой бытовой", "Вентилятор радиальный"],
        brands: &["Vents", "Soler & Palau", "Systemair", "Blauberg"],
        unit: "pcs",
        attributes: &[
            ("Диаметр, мм", &["100", "125", "150", "160", "200"]),
            ("Производительность, м³/ч", &["95", "180", "350", "520"]),
        ],
        base: 2_300,
        step: 1_400,
        warranty: 36,
        returnable: true,
        description: "Для приточно-вытяжной вентиляции. Двигатель с шарикоподшипниками, защита от перегрева.",
    },
    Template {
        category: "ducts",
        prefix: "DCT",
        kinds: &["Воздуховод круглый оцинкованный", "Воздуховод гибкий алюминиевый", "Воздуховод прямоугольный"],
        brands: &["Era", "Vents", "Airone"],
        unit: "m",
        attributes: &[("Диаметр, мм", &["100", "125", "160", "200", "250"])],
        base: 180,
        step: 90,
        warranty: 12,
        returnable: true,
        description: "Продаётся на метры. Оцинкованная сталь 0,5 мм или гофрированный алюминий.",
    },
    Template {
        category: "boiler-parts",
        prefix: "PRT",
        kinds: &[
            "Теплообменник первичный",
            "Плата управления",
            "Датчик температуры NTC",
            "Вентилятор дымоудаления",
            "Трёхходовой клапан",
        ],
        brands: &["Baxi", "Navien", "Vaillant", "Protherm"],
        unit: "pcs",
        attributes: &[("Для моделей, кВт", &["18", "24", "28"])],
        base: 1_200,
        step: 1_900,
        warranty: 6,
        returnable: false,
        description: "Оригинальная запасная часть. Электронные компоненты и детали, установленные на оборудование, возврату не подлежат.",
    },
];

struct Generated {
    sku: String,
    name: String,
    brand: String,
    category: &'static str,
    unit: &'static str,
    description: &'static str,
    warranty: i32,
    returnable: bool,
    retail: i64,
    attributes: Vec<(&'static str, String)>,
    group: String,
    /// Quantity per location index (thousandths).
    stock: Vec<i64>,
}

fn generate(count: usize, locations: usize) -> Vec<Generated> {
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    (0..count)
        .map(|i| {
            let t = &TEMPLATES[i % TEMPLATES.len()];
            let kind = *rng.pick(t.kinds);
            let brand = *rng.pick(t.brands);
            let first = rng.below(t.attributes[0].1.len());
            let attributes: Vec<(&'static str, String)> = t
                .attributes
                .iter()
                .enumerate()
                .map(|(k, (name, values))| (*name, if k == 0 { values[first] } else { *rng.pick(values) }.to_string()))
                .collect();
            let series = i / TEMPLATES.len() + 1;
            let size = &attributes[0].1;
            let unit_suffix =
                t.attributes[0].0.rsplit(", ").next().filter(|_| t.attributes[0].0.contains(", ")).unwrap_or("");
            let name = format!(
                "{kind} {brand} {size}{} серия {series}",
                if unit_suffix.is_empty() { String::new() } else { format!(" {unit_suffix}") }
            );
            let retail = (t.base + t.step * first as i64) * (90 + rng.below(25) as i64) / 100;
            // About one product in seven is out of stock everywhere; the rest have some somewhere.
            let out = rng.below(7) == 0;
            let stock = (0..locations)
                .map(|_| {
                    if out || rng.below(3) == 0 {
                        0
                    } else {
                        let n = if t.unit == "m" { 50 + rng.below(400) } else { 1 + rng.below(40) };
                        n as i64 * 1000
                    }
                })
                .collect();
            Generated {
                sku: format!("{}-{:06}", t.prefix, i + 1),
                name,
                brand: brand.to_string(),
                category: t.category,
                unit: t.unit,
                description: t.description,
                warranty: t.warranty,
                returnable: t.returnable,
                retail: retail.max(1) * 100,
                group: format!("{}|{}|{}", t.category, kind, attributes[0].1),
                attributes,
                stock,
            }
        })
        .collect()
}

/// Creates categories, stock locations, discount policy and `count` products, unless the catalog
/// already has products. Returns how many products were created.
pub async fn seed_catalog(db: &Db, count: usize) -> Result<usize, sqlx::Error> {
    let now = Utc::now();
    on_db!(db, pool => {
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products").fetch_one(pool).await?;
        if existing > 0 {
            return Ok(0);
        }
        let mut tx = pool.begin().await?;
        // Discount policy: loyalty tiers, the online-order promotion, the cap.
        for (name, threshold, discount) in [("Серебряный", 5_000_000_i64, 300_i64), ("Золотой", 20_000_000, 500), ("Платиновый", 50_000_000, 700)] {
            sqlx::query("INSERT INTO loyalty_tiers (name, threshold, discount_bp) VALUES ($1, $2, $3)")
                .bind(name).bind(threshold).bind(discount).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO promotions (code, discount_bp, condition) VALUES ('online-order', 200, 'placed_online') ON CONFLICT DO NOTHING")
            .execute(&mut *tx).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('discount_cap_bp', '2500') ON CONFLICT DO NOTHING")
            .execute(&mut *tx).await?;

        let mut category_ids = std::collections::HashMap::new();
        let mut category_names = std::collections::HashMap::new();
        for (position, (slug, parent, name)) in CATEGORIES.iter().enumerate() {
            let parent_id = parent.map(|p| category_ids[p]);
            let id: i64 = sqlx::query_scalar("INSERT INTO categories (parent_id, slug, name, position) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(parent_id).bind(*slug).bind(*name).bind(position as i64).fetch_one(&mut *tx).await?;
            category_ids.insert(*slug, id);
            category_names.insert(*slug, (*name, parent.map(|p| CATEGORIES.iter().find(|c| c.0 == p).map(|c| c.2).unwrap_or(""))));
        }

        let mut locations: Vec<i64> = Vec::new();
        for (name, address) in [("Центральный склад", "Москва, Промышленный проезд, 5"), ("Склад Екатеринбург", "Екатеринбург, ул. Складская, 18")] {
            let id: i64 = sqlx::query_scalar("INSERT INTO stock_locations (kind, name, address) VALUES ('warehouse', $1, $2) RETURNING id")
                .bind(name).bind(address).fetch_one(&mut *tx).await?;
            locations.push(id);
        }
        let points: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, name, address FROM retail_points ORDER BY id")
            .fetch_all(&mut *tx).await?;
        for (point, name, address) in points {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO stock_locations (kind, name, address, retail_point_id) VALUES ('pickup', $1, $2, $3) RETURNING id")
                .bind(format!("Пункт выдачи: {name}")).bind(address).bind(point).fetch_one(&mut *tx).await?;
            locations.push(id);
        }

        let products = generate(count, locations.len());
        let mut ids = Vec::with_capacity(products.len());
        for chunk in products.chunks(100) {
            // Multi-row inserts: a 100 000-product catalog loads in seconds, not minutes.
            let mut sql = String::from(
                "INSERT INTO products (sku, name, brand, category_id, unit, description, warranty_months, returnable, vat_rate, \
                 price_retail, price_wholesale, price_dealer, price_purchase, stock_total, search_text, updated_at) VALUES ");
            for (i, _) in chunk.iter().enumerate() {
                let b = i * 15;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 22, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15
                ));
            }
            sql.push_str(" RETURNING id");
            let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
            for p in chunk {
                let (category, parent) = category_names[p.category];
                let mut parts: Vec<&str> = vec![&p.name, &p.brand, &p.sku, category];
                parts.extend(parent);
                parts.extend(p.attributes.iter().map(|(_, v)| v.as_str()));
                let search = domain::search::index_text(parts);
                let stock: i64 = p.stock.iter().sum();
                q = q.bind(p.sku.clone()).bind(p.name.clone()).bind(p.brand.clone()).bind(category_ids[p.category])
                    .bind(p.unit).bind(p.description).bind(p.warranty).bind(p.returnable)
                    .bind(p.retail).bind(p.retail * 85 / 100).bind(p.retail * 80 / 100).bind(p.retail * 62 / 100)
                    .bind(stock).bind(search).bind(now);
            }
            ids.extend(q.fetch_all(&mut *tx).await?);
        }

        let mut attr_rows: Vec<(i64, &str, &str)> = Vec::new();
        let mut stock_rows: Vec<(i64, i64, i64)> = Vec::new();
        for (p, id) in products.iter().zip(&ids) {
            attr_rows.extend(p.attributes.iter().map(|(n, v)| (*id, *n, v.as_str())));
            stock_rows.extend(p.stock.iter().zip(&locations).filter(|(q, _)| **q > 0).map(|(q, l)| (*id, *l, *q)));
        }
        for chunk in attr_rows.chunks(300) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3)).collect();
            let sql = format!("INSERT INTO product_attributes (product_id, name, value) VALUES {}", marks.join(", "));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (id, n, v) in chunk {
                q = q.bind(*id).bind(*n).bind(*v);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in stock_rows.chunks(300) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3)).collect();
            let sql = format!("INSERT INTO stock (product_id, location_id, quantity) VALUES {}", marks.join(", "));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (p, l, n) in chunk {
                q = q.bind(*p).bind(*l).bind(*n);
            }
            q.execute(&mut *tx).await?;
        }

        // Analogs: products of the same kind and size, up to four each.
        let mut groups: std::collections::HashMap<&str, Vec<i64>> = std::collections::HashMap::new();
        for (p, id) in products.iter().zip(&ids) {
            groups.entry(p.group.as_str()).or_default().push(*id);
        }
        let mut pairs: Vec<(i64, i64)> = Vec::new();
        for members in groups.values() {
            for (i, a) in members.iter().enumerate() {
                pairs.extend(members.iter().skip(i + 1).take(4).flat_map(|b| [(*a, *b), (*b, *a)]));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        for chunk in pairs.chunks(400) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${})", i * 2 + 1, i * 2 + 2)).collect();
            let sql = format!("INSERT INTO product_analogs (product_id, analog_id) VALUES {}", marks.join(", "));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (a, b) in chunk {
                q = q.bind(*a).bind(*b);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(products.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalog_is_varied_and_stable() {
        let a = generate(300, 4);
        let b = generate(300, 4);
        assert_eq!(a.iter().map(|p| &p.name).collect::<Vec<_>>(), b.iter().map(|p| &p.name).collect::<Vec<_>>());
        let out = a.iter().filter(|p| p.stock.iter().all(|q| *q == 0)).count();
        assert!((15..=80).contains(&out), "{out} out of stock");
        let mut skus: Vec<_> = a.iter().map(|p| &p.sku).collect();
        skus.sort();
        skus.dedup();
        assert_eq!(skus.len(), 300);
        assert!(a.iter().any(|p| p.unit == "m" && p.name.starts_with("Труба")));
    }
}
