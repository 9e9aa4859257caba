//! The roster-corrections import on hostile spreadsheets: calamine's reading and our checks.
//! Errors are expected; a panic, hang or runaway allocation is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let known: HashSet<String> = ["S0001", "S0002", "S0003"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let _ = jxjy_office::xlsx_in::roster_corrections(data, &known);
});
