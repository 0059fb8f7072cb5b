//! Branch names reach SQL schema names, so only `[A-Za-z0-9._-]{1,64}` is accepted.

use rocky_state::{branch_schema_prefix, validate_branch_name, BranchNameError};

#[test]
fn accepts_the_documented_examples() {
    for name in ["fix-price", "feat_new_join", "hotfix.2026-04-20", "a", "A9", &"x".repeat(64)] {
        assert_eq!(validate_branch_name(name), Ok(()), "{name}");
    }
}

#[test]
fn refuses_each_bad_class_naming_the_character_and_position() {
    let cases = [
        ("feat/new", '/', 5),
        ("my branch", ' ', 3),
        ("it's", '\'', 3),
        ("a\"b", '"', 2),
        ("x;drop", ';', 2),
        ("café", 'é', 4),
        ("tab\there", '\t', 4),
    ];
    for (name, ch, position) in cases {
        let err = validate_branch_name(name).unwrap_err();
        assert_eq!(err, BranchNameError::BadCharacter { name: name.to_string(), ch, position }, "{name}");
        let msg = err.to_string();
        assert!(msg.contains(&format!("position {position}")) && msg.contains(&format!("{ch:?}")), "{msg}");
        assert!(msg.contains("letters, digits"), "{msg}");
    }
}

#[test]
fn refuses_empty_and_too_long() {
    assert_eq!(validate_branch_name(""), Err(BranchNameError::Empty));
    assert!(validate_branch_name("").unwrap_err().to_string().contains("empty"));
    let err = validate_branch_name(&"x".repeat(65)).unwrap_err();
    assert_eq!(err, BranchNameError::TooLong { len: 65, max: 64 });
    assert!(err.to_string().contains("65") && err.to_string().contains("64"));
}

#[test]
fn schema_prefix_is_branch_double_underscore_name() {
    assert_eq!(branch_schema_prefix("fix-price"), "branch__fix-price");
}
