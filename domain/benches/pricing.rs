//! Pricing a 500-line order with every discount source (target: under 100 µs native).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::pricing::{
    Buyer, DiscountPolicy, LineInput, LoyaltyTier, LoyaltyTiers, Promotion, PromotionCondition, price_order,
};
use domain::{Percent, Quantity, Unit, VatRate};
use rust_decimal::Decimal;

fn pct(p: i64) -> Percent {
    Percent::new(Decimal::from(p)).expect("valid percentage")
}

fn order() -> (Vec<LineInput>, Buyer, DiscountPolicy) {
    let lines = (0..500)
        .map(|i| LineInput {
            unit_price: 10_000 + i * 137,
            quantity: if i % 3 == 0 {
                Quantity::from_thousandths(1_250 + i, Unit::M).expect("valid")
            } else {
                Quantity::whole(1 + i % 7, Unit::Pcs).expect("valid")
            },
            vat: if i % 10 == 0 { VatRate::Percent(10) } else { VatRate::Percent(22) },
            manual_discount: if i % 5 == 0 { pct(3) } else { Percent::ZERO },
        })
        .collect();
    let buyer = Buyer {
        personal_discount: pct(4),
        accumulated: 30_000_000,
        placed_online: true,
        paid_online: true,
        manual_order_discount: pct(2),
    };
    let policy = DiscountPolicy {
        loyalty: LoyaltyTiers::new(vec![
            LoyaltyTier { name: "Серебро".into(), threshold: 5_000_000, discount: pct(3) },
            LoyaltyTier { name: "Золото".into(), threshold: 20_000_000, discount: pct(7) },
        ]),
        promotions: vec![
            Promotion { code: "online-order".into(), discount: pct(5), condition: PromotionCondition::PlacedOnline },
            Promotion { code: "online-payment".into(), discount: pct(2), condition: PromotionCondition::PaidOnline },
        ],
        cap: pct(25),
    };
    (lines, buyer, policy)
}

fn bench(c: &mut Criterion) {
    let (lines, buyer, policy) = order();
    c.bench_function("price a 500-line order, every discount source", |b| {
        b.iter(|| price_order(black_box(&lines), black_box(&buyer), black_box(&policy)).expect("priced"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
