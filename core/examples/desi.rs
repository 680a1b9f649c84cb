//! Scores the embedded DESI 2022 framework on its embedded data and prints the ranking.
//!
//! `cargo run -p cityindex --example desi [year]` (year 2017–2022, default 2022)

use std::process::ExitCode;

fn main() -> ExitCode {
    let year = std::env::args()
        .nth(1)
        .map_or(Ok(2022), |y| y.parse::<i64>());
    let Ok(year) = year else {
        eprintln!("usage: desi [year]   (a DESI edition, 2017-2022)");
        return ExitCode::FAILURE;
    };
    match run(year) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(year: i64) -> Result<(), Box<dyn std::error::Error>> {
    let desi = cityindex::builtin::get("desi-2022").ok_or("DESI 2022 is not built in")?;
    let framework = desi.framework()?;
    let data = desi.data()?.for_period(year)?;
    let scores = cityindex::score(&framework, &data, &desi.recipe()?)?;
    let info = framework.info();
    println!("{} — DESI {year}", info.name.as_deref().unwrap_or(desi.id));
    println!("Source: {}\n", info.source.as_deref().unwrap_or("—"));
    let table = scores
        .ranking_table("DESI", &["HC", "CN", "IDT", "DPS"])
        .unwrap_or_default();
    print!("{table}");
    println!(
        "\nHC human capital · CN connectivity · IDT integration of digital technology · DPS digital public services"
    );
    Ok(())
}
