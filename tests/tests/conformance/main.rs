//! Conformance tests: cityindex against numbers computed by others (COINr, the European
//! Commission's DESI workbook, UN DESA, pymcdm), the shared test vectors, bad input and
//! properties. One binary, one module per source.

mod aggregates;
mod analysis;
mod bad_input;
mod bad_input_corpus;
mod builtins;
mod coinr_asem;
mod desi;
mod egdi;
mod error_codes;
mod exact_sum;
mod mcda;
mod model;
mod properties;
mod roundtrip;
mod treatment;
mod uncertainty;
mod vectors;
mod weighting;
