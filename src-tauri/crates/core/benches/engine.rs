//! The engine on a generated unit of 3,000 staff and 30,000 declarations, against a baseline
//! measured in the same run: cloning the input (touching every record once).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use jxjy_core::synth::{generate, SynthParams};
use jxjy_core::{evaluate, RuleSet};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let input = generate(&SynthParams {
        staff: 3_000,
        declarations_per_staff: 10,
        ..SynthParams::default()
    });
    let rules = RuleSet::for_year(2019).unwrap();
    let today = NaiveDate::from_ymd_opt(2020, 1, 15).unwrap();
    let mut g = c.benchmark_group("unit_3000_staff_30000_declarations");
    g.sample_size(20);
    g.bench_function("baseline_clone_input", |b| {
        b.iter(|| black_box(input.clone()))
    });
    g.bench_function("evaluate", |b| {
        b.iter(|| black_box(evaluate(black_box(&input), &rules, today)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
