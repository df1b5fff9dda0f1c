//! End to end through a real sync tool: two headless Syncthing instances on 127.0.0.1 (GUI/REST
//! and sync ports on loopback, discovery, relays and NAT off), each serving one computer's
//! sync folder. A review given on one computer reaches the other's card state.
//!
//! `.ci/run` installs Debian's `syncthing`; without it this test fails and says so.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use flashdrill_core::domain::CardProgress;

use crate::common::{ana_sync, answer_good, new_profile, profile_store, run_ok, stdout};

const FOLDER_ID: &str = "flashdrill-sync";
const DECK: &str = "pm-dates";
const CARD: &str = "cooling";

/// A Syncthing process, killed when dropped.
struct Instance {
    child: Child,
    log: PathBuf,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free on 127.0.0.1 now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

fn syncthing(args: &[&str]) -> std::process::Output {
    Command::new("syncthing")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run syncthing ({e}): install Debian's syncthing package (.ci/run does)")
        })
}

/// Makes a Syncthing home in `home` (keys and a config) and returns its device id.
fn generate(home: &Path) -> String {
    let home_arg = format!("--home={}", home.display());
    let o = syncthing(&[
        "generate",
        &home_arg,
        "--no-default-folder",
        "--skip-port-probing",
    ]);
    assert!(o.status.success(), "syncthing generate: {o:?}");
    let o = syncthing(&["serve", &home_arg, "--device-id"]);
    assert!(o.status.success(), "syncthing --device-id: {o:?}");
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// The ports one instance listens on, all on 127.0.0.1.
struct Ports {
    sync: u16,
    gui: u16,
}

/// Writes a config sharing `folder` between `me` and `other` (reached at `other_port`),
/// listening on loopback only, with discovery, relays, NAT, upgrades and reporting off.
fn configure(home: &Path, me: &str, other: &str, ports: &Ports, other_port: u16, folder: &Path) {
    let config = format!(
        r#"<configuration version="36">
  <folder id="{FOLDER_ID}" label="flashdrill" path="{folder}" type="sendreceive" rescanIntervalS="1" fsWatcherEnabled="false">
    <device id="{me}"></device>
    <device id="{other}"></device>
  </folder>
  <device id="{me}" name="me"><address>dynamic</address></device>
  <device id="{other}" name="other"><address>tcp://127.0.0.1:{other_port}</address></device>
  <gui enabled="true" tls="false"><address>127.0.0.1:{gui}</address><apikey>flashdrill-test</apikey></gui>
  <options>
    <listenAddress>tcp://127.0.0.1:{sync}</listenAddress>
    <globalAnnounceEnabled>false</globalAnnounceEnabled>
    <localAnnounceEnabled>false</localAnnounceEnabled>
    <relaysEnabled>false</relaysEnabled>
    <natEnabled>false</natEnabled>
    <startBrowser>false</startBrowser>
    <urAccepted>-1</urAccepted>
    <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
    <crashReportingEnabled>false</crashReportingEnabled>
    <reconnectionIntervalS>1</reconnectionIntervalS>
  </options>
</configuration>
"#,
        folder = folder.display(),
        gui = ports.gui,
        sync = ports.sync,
    );
    std::fs::write(home.join("config.xml"), config).expect("the Syncthing config");
}

fn start(home: &Path) -> Instance {
    let log = home.join("syncthing.log");
    let file = std::fs::File::create(&log).expect("the Syncthing log");
    let child = Command::new("syncthing")
        .args([
            "serve",
            &format!("--home={}", home.display()),
            "--no-browser",
            "--no-restart",
        ])
        .env("STNOUPGRADE", "1")
        .stdout(file.try_clone().expect("the log"))
        .stderr(file)
        .stdin(Stdio::null())
        .spawn()
        .expect("syncthing starts");
    Instance { child, log }
}

/// Waits (up to two minutes) until `ready` holds; on timeout fails with both logs.
fn wait_for(what: &str, instances: &[&Instance], ready: impl Fn() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_mins(2) {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let logs: Vec<String> = instances
        .iter()
        .map(|i| std::fs::read_to_string(&i.log).unwrap_or_default())
        .collect();
    panic!(
        "timed out waiting for {what}; Syncthing said:\n{}",
        logs.join("\n----\n")
    );
}

/// The review files of every computer that have reached `folder`.
fn review_files(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(profiles) = std::fs::read_dir(folder.join("flashdrill")) else {
        return out;
    };
    for profile in profiles.flatten() {
        for device in std::fs::read_dir(profile.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for file in std::fs::read_dir(device.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = file.file_name().to_string_lossy().into_owned();
                if name.starts_with("reviews-") && name.ends_with(".fdsync") {
                    out.push(file.path());
                }
            }
        }
    }
    out
}

/// Whether every file under `from`'s `flashdrill` directory is in `to` too, as long.
fn delivered(from: &Path, to: &Path) -> bool {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&from.join("flashdrill"), &mut files);
    !files.is_empty()
        && files.iter().all(|f| {
            let Ok(relative) = f.strip_prefix(from) else {
                return false;
            };
            let len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).ok();
            len(f).is_some() && len(f) == len(&to.join(relative))
        })
}

/// The profile "Ana" of `data` with one review of a bundled card, answered Good.
fn study_one_card(data: &Path) {
    let at = Utc::now() - chrono::TimeDelta::hours(1);
    let mut store = new_profile(data, "Ana", at.date_naive());
    answer_good(&mut store, DECK, CARD, at);
}

fn card_state(data: &Path) -> Option<CardProgress> {
    profile_store(data, Some("Ana")).card(DECK, CARD).unwrap()
}

#[test]
fn a_review_on_one_computer_reaches_the_other_through_syncthing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = |name: &str| {
        let d = tmp.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let (home_data, school_data) = (dir("home-data"), dir("school-data"));
    let (home_folder, school_folder) = (dir("home-sync"), dir("school-sync"));
    let (home_st, school_st) = (dir("home-syncthing"), dir("school-syncthing"));

    let (home_id, school_id) = (generate(&home_st), generate(&school_st));
    let home_ports = Ports {
        sync: free_port(),
        gui: free_port(),
    };
    let school_ports = Ports {
        sync: free_port(),
        gui: free_port(),
    };
    configure(
        &home_st,
        &home_id,
        &school_id,
        &home_ports,
        school_ports.sync,
        &home_folder,
    );
    configure(
        &school_st,
        &school_id,
        &home_id,
        &school_ports,
        home_ports.sync,
        &school_folder,
    );
    let home_sync = start(&home_st);
    let school_sync = start(&school_st);

    // At home: one card studied, then synced into the home computer's folder.
    study_one_card(&home_data);
    let folder = home_folder.to_str().unwrap();
    let o = run_ok(&home_data, &ana_sync(folder, "home"));
    assert!(stdout(&o).contains("out: 1 reviews"), "{}", stdout(&o));
    assert!(!review_files(&home_folder).is_empty());

    // Syncthing carries the home computer's files to the school's folder: all of them (a
    // directory whose device.json has not arrived yet is left for the next sync).
    wait_for(
        "the home computer's files at school",
        &[&home_sync, &school_sync],
        || !review_files(&school_folder).is_empty() && delivered(&home_folder, &school_folder),
    );

    // At school: the same profile syncs from its own folder and gets the review's card state.
    run_ok(&school_data, &["profiles", "create", "Ana"]);
    assert_eq!(card_state(&school_data), None, "not studied at school yet");
    let folder = school_folder.to_str().unwrap();
    let o = run_ok(&school_data, &ana_sync(folder, "school"));
    assert!(
        stdout(&o).contains("in: 1 reviews from home"),
        "{}",
        stdout(&o)
    );
    let at_home = card_state(&home_data).expect("studied at home");
    let at_school = card_state(&school_data).expect("the review reached school");
    assert_eq!(
        at_school.card, at_home.card,
        "the same state on both computers"
    );

    // And the school's own directory travels back: home sees the school computer.
    let devices = |folder: &Path| -> usize {
        std::fs::read_dir(folder.join("flashdrill"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|profile| std::fs::read_dir(profile.path()).map_or(0, Iterator::count))
            .sum()
    };
    wait_for(
        "the school's directory at home",
        &[&home_sync, &school_sync],
        || devices(&home_folder) >= 2,
    );
}
