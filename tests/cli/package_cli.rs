//! The Debian package's files (`packaging/`) agree with each other and with the app: the
//! desktop entry opens every file type the package declares, and only types the app imports;
//! each icon has the size it is installed as; the manual page names every command and option.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use flashdrill_core::interop::{FormatKind, format_of};

use crate::common::stdout;

fn packaging(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("packaging")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(packaging(name)).unwrap()
}

/// Every value of `attr="…"` in `xml`.
fn attributes<'a>(xml: &'a str, attr: &str) -> Vec<&'a str> {
    let open = format!("{attr}=\"");
    xml.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// Every text of `<tag …>…</tag>` in `xml`.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    xml.split(open.as_str())
        .skip(1)
        .filter(|rest| rest.starts_with(['>', ' ']))
        .filter_map(|rest| rest.split_once('>')?.1.split(close.as_str()).next())
        .collect()
}

/// The value of `key=` in the desktop entry.
fn desktop_key<'a>(entry: &'a str, key: &str) -> &'a str {
    entry
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {key}= in flashdrill.desktop"))
}

#[test]
fn the_desktop_entry_opens_every_file_type_the_package_declares() {
    let entry = read("flashdrill.desktop");
    assert_eq!(desktop_key(&entry, "Exec"), "flashdrill %F");
    assert_eq!(desktop_key(&entry, "Icon"), "flashdrill");
    assert!(
        desktop_key(&entry, "Categories")
            .split(';')
            .any(|c| c == "Education")
    );
    let opened: BTreeSet<&str> = desktop_key(&entry, "MimeType")
        .split(';')
        .filter(|t| !t.is_empty())
        .collect();

    let mime = read("flashdrill.xml");
    let declared: BTreeSet<&str> = mime
        .split("<mime-type ")
        .skip(1)
        .filter_map(|m| attributes(m, "type").first().copied())
        .collect();
    assert_eq!(opened, declared, "MimeType= against flashdrill.xml");

    let metainfo = read("org.flashdrill.flashdrill.metainfo.xml");
    let provided: BTreeSet<&str> = elements(&metainfo, "mediatype").into_iter().collect();
    assert_eq!(
        provided, declared,
        "the metainfo's <provides> against flashdrill.xml"
    );
    assert_eq!(elements(&metainfo, "launchable"), ["flashdrill.desktop"]);
    assert_eq!(elements(&metainfo, "binary"), ["flashdrill"]);

    // Each glob names a file the app opens: the packages it imports, decks it adds.
    let globs = attributes(&mime, "pattern");
    assert_eq!(globs, ["*.apkg", "*.colpkg", "*.flashdrill.json"]);
    let kind = |glob: &str| format_of(Path::new(&glob.replace('*', "deck"))).map(|f| f.kind);
    assert_eq!(kind(globs[0]), Some(FormatKind::AnkiPackage));
    assert_eq!(kind(globs[1]), Some(FormatKind::AnkiPackage));
    assert_eq!(kind(globs[2]), Some(FormatKind::Deck));
    // The deck magic is the format string every deck starts with.
    assert!(
        mime.contains(&format!(
            "value=\"&quot;{}&quot;\"",
            flashdrill_core::deck::FORMAT_V1
        )),
        "{mime}"
    );
}

/// The width and height a PNG's header gives.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is no PNG",
        path.display()
    );
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn each_icon_has_the_size_it_is_installed_as() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    for n in [48, 64, 128, 256, 512] {
        let icon = format!("icons/flashdrill-{n}.png");
        assert_eq!(png_size(&packaging(&icon)), (n, n), "{icon}");
        let asset = format!(
            "[\"packaging/{icon}\", \"usr/share/icons/hicolor/{n}x{n}/apps/flashdrill.png\", \"644\"]"
        );
        assert!(
            manifest.contains(&asset),
            "Cargo.toml does not install {asset}"
        );
    }
}

#[test]
fn the_manual_page_names_every_command_and_option() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_flashdrill"))
        .arg("--help")
        .env_remove("FLASHDRILL_DATA_DIR")
        .output()
        .unwrap();
    assert!(o.status.success());
    let help = stdout(&o);
    let commands: Vec<&str> = help
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(commands.contains(&"import"), "{help}");
    let options: Vec<&str> = help
        .split("Options:\n")
        .nth(1)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
        .collect();
    assert!(options.contains(&"--data-dir"), "{help}");
    let page = read("flashdrill.1");
    for command in commands {
        assert!(
            page.contains(&format!(".B {command}\n")),
            "packaging/flashdrill.1 does not describe the command {command}"
        );
    }
    for option in options {
        assert!(
            page.contains(&option.replace('-', "\\-")),
            "packaging/flashdrill.1 does not describe {option}"
        );
    }
    let version = format!("\"flashdrill {}\"", env!("CARGO_PKG_VERSION"));
    assert!(
        page.contains(&version),
        "the manual page is not for {version}"
    );
}
