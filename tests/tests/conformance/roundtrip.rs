//! Frameworks serialise back to both forms and read back to the same tree.

use cityindex::Framework;
use cityindex_tests::asem_framework;

fn assert_same_tree(a: &Framework, b: &Framework) {
    assert_eq!(a.to_document(), b.to_document());
    assert_eq!(a.data_columns(), b.data_columns());
}

#[test]
fn asem_round_trips_through_json_and_the_table() {
    let asem = asem_framework();
    assert_eq!(asem.len(), 60);
    assert_eq!(asem.max_level(), 4);
    assert_eq!(
        asem.data_columns().len(),
        8,
        "4 groups and 4 denominators declared"
    );
    let from_json = Framework::from_json(&asem.to_json()).expect("JSON");
    assert_same_tree(&asem, &from_json);
    let from_table = Framework::from_table_csv(asem.to_table_csv().as_bytes()).expect("table");
    assert_same_tree(&asem, &from_table);
    // The table written for COINr users carries the levels; reading it checks them.
    assert!(
        asem.to_table_csv()
            .starts_with("iCode,iName,Level,Parent,Weight,Direction,Type")
    );
}

#[test]
fn desi_round_trips_with_its_description() {
    let desi = cityindex::builtin::get("desi-2022")
        .unwrap()
        .framework()
        .unwrap();
    let again = Framework::from_json(&desi.to_json()).unwrap();
    assert_eq!(again, desi);
    assert!(
        desi.info()
            .source
            .as_deref()
            .unwrap()
            .contains("European Commission")
    );
    assert_eq!(desi.level_names().len(), 4);
}

/// COINr's own iData and iMeta files load as they are: unit names, the `Time` column, group
/// columns declared in iMeta, denominators kept as declared data columns (no warning).
#[test]
fn coinr_idata_and_imeta_load_as_they_are() {
    let asem = asem_framework();
    let file =
        std::fs::File::open(cityindex_tests::fixture("coinr-asem/data/ASEM_iData.csv")).unwrap();
    let data =
        cityindex::Dataset::from_csv(file, &cityindex::CsvLayout::for_framework(&asem)).unwrap();
    assert_eq!(data.n_units(), 51);
    assert_eq!(data.units()[0].name.as_deref(), Some("Austria"));
    let groups: Vec<&str> = data.groups().iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        groups,
        ["GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"]
    );
    assert_eq!(data.distinct_periods(), [2018]);
    let scores = cityindex::score(&asem, &data, &cityindex::Recipe::default()).unwrap();
    assert!(scores.warnings().is_empty(), "{:?}", scores.warnings());
    assert_eq!(scores.nodes().len(), 60);
}
