//! `flashdrill settings` and `flashdrill progress` from the command line.

use crate::common::{run, stderr, stdout};

#[test]
fn settings_are_listed_set_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = run(d, &["settings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("desired_retention = 0.9    # "), "{text}");
    assert!(text.contains("learning_steps = 1m 10m    # "), "{text}");
    assert!(text.contains("0.70–0.99"), "{text}");

    let o = run(
        d,
        &["settings", "new_per_day=30", "learning_steps=1m 10m 1h"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "new_per_day = 30\nlearning_steps = 1m 10m 1h\n");
    let text = stdout(&run(d, &["settings"]));
    assert!(text.contains("new_per_day = 30    #"), "{text}");

    // One bad value: nothing is set, exit code 2, the key and the range are named.
    let o = run(d, &["settings", "new_per_day=40", "desired_retention=1.2"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("desired_retention = \"1.2\" is not allowed"),
        "{err}"
    );
    assert!(err.contains("0.70–0.99"), "{err}");
    assert!(stdout(&run(d, &["settings"])).contains("new_per_day = 30    #"));

    let o = run(d, &["settings", "colour=blue"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown setting \"colour\""),
        "{}",
        stderr(&o)
    );
    let o = run(d, &["settings", "new_per_day"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not KEY=VALUE"));

    // --help describes every setting from the same table.
    let o = run(d, &["settings", "--help"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let help = stdout(&o);
    for info in flashdrill_core::settings::SETTINGS {
        assert!(help.contains(&format!("\n  {}\n", info.key)), "{help}");
        assert!(help.contains(info.allowed), "{help}");
        assert!(
            help.contains(&format!("Default: {}\n", info.default_text())),
            "{help}"
        );
    }

    // --profile picks another learner, with its own settings.
    let o = run(d, &["--profile", "nobody", "settings"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no profile is called \"nobody\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn progress_export_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A profile with one review, written through the library.
    {
        use chrono::{TimeZone, Utc};
        use flashdrill_core::schedule::Rating;
        use flashdrill_core::session::{CardKey, Session};
        use flashdrill_core::settings::Settings;
        use flashdrill_core::store::profiles::Profiles;
        use flashdrill_core::store::{CardProgress, Mode};
        let at = Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap();
        let mut store = crate::common::new_profile(d, "Ana", at.date_naive());
        let queue = vec![(CardKey::new("d", "c"), CardProgress::new_card(at))];
        let mut s = Session::from_settings(&Settings::default(), Mode::Srs, queue, at).unwrap();
        s.answer(
            &mut store,
            Rating::Easy,
            Some("x"),
            Some(true),
            std::time::Duration::from_secs(2),
            at,
        )
        .unwrap();
        Profiles::load(d).unwrap().create("Bo").unwrap();
    }
    let o = run(d, &["--profile", "Ana", "progress", "export"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let exported = stdout(&o);
    assert!(exported.contains("\"format\": \"flashdrill-progress/1\""));
    assert!(
        exported.contains("\"at\": \"2025-03-01T12:00:00.000Z\""),
        "{exported}"
    );
    let file = d.join("ana.json");
    let o = run(
        d,
        &[
            "--profile",
            "Ana",
            "progress",
            "export",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), exported);

    let o = run(
        d,
        &[
            "--profile",
            "Bo",
            "progress",
            "import",
            file.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 reviews added"), "{}", stdout(&o));
    let o = run(d, &["--profile", "Bo", "progress", "export"]);
    assert_eq!(stdout(&o), exported);

    let bad = d.join("bad.json");
    std::fs::write(&bad, exported.replace("\"rating\": 4", "\"rating\": 9")).unwrap();
    let o = run(
        d,
        &[
            "--profile",
            "Bo",
            "progress",
            "import",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("reviews[0].rating: 9 is not 1–4"), "{err}");
    assert!(
        err.contains("bad.json: reviews[0]"),
        "the file is named: {err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
}

#[test]
fn profiles_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(run(d, &["profiles", "create", "Ana"]).status.success());
    assert!(run(d, &["profiles", "create", "Bo"]).status.success());
    let o = run(d, &["profiles", "create", "bo"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("already called"), "{}", stderr(&o));
    assert!(run(d, &["profiles", "switch", "Bo"]).status.success());
    assert_eq!(stdout(&run(d, &["profiles"])), "  Ana (ana)\n* Bo (bo)\n");
    // Settings go to the last used profile unless --profile says otherwise.
    assert!(run(d, &["settings", "zoom=2"]).status.success());
    assert!(stdout(&run(d, &["--profile", "bo", "settings"])).contains("zoom = 2.0    #"));
    assert!(stdout(&run(d, &["--profile", "Ana", "settings"])).contains("zoom = 1.0    #"));
    assert!(
        run(d, &["profiles", "rename", "Bo", "Bob"])
            .status
            .success()
    );
    assert_eq!(
        run(d, &["profiles", "delete", "Bob"]).status.code(),
        Some(2)
    );
    let o = run(d, &["profiles", "delete", "Bob", "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("trash"), "{}", stdout(&o));
    // --profile does not change the last used profile; deleting it leaves none marked.
    assert_eq!(stdout(&run(d, &["profiles", "list"])), "  Ana (ana)\n");
}
