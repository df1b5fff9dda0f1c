//! The phone page's accessibility rules, read from the page itself: every field has a label,
//! every button a name, results are announced (ARIA live regions), and nothing needs dragging
//! (the timeline is put in order by tapping, with Undo).

const PAGE: &str = include_str!("../src/phone.html");

/// The attribute `name` of the opening tag at the start of `tag`, if present.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = &tag[at..];
    Some(&rest[..rest.find('"')?])
}

/// Each `<name …>` opening tag of the page, with the text up to its closing tag.
fn elements<'a>(name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = PAGE;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..=end.min(rest.len() - 1)];
        let body = rest[end + 1..]
            .find(&close)
            .map_or("", |c| &rest[end + 1..end + 1 + c]);
        out.push((tag, body));
        rest = &rest[end..];
    }
    out
}

fn element_with_id<'a>(id: &str) -> &'a str {
    let at = PAGE
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id}"));
    let start = PAGE[..at].rfind('<').unwrap();
    let end = at + PAGE[at..].find('>').unwrap();
    &PAGE[start..=end]
}

#[test]
fn every_field_has_a_label() {
    let inputs = elements("input");
    assert!(!inputs.is_empty());
    for (tag, _) in inputs {
        let id = attribute(tag, "id").unwrap_or_else(|| panic!("{tag}: no id to label"));
        assert!(
            PAGE.contains(&format!("<label for=\"{id}\">"))
                || attribute(tag, "aria-label").is_some(),
            "{tag}: no label"
        );
    }
}

#[test]
fn every_button_has_a_name() {
    for (tag, body) in elements("button") {
        assert!(
            !body.trim().is_empty() || attribute(tag, "aria-label").is_some(),
            "{tag}: a button with no text"
        );
    }
    // Buttons made by the script get their text before they are shown.
    let made = PAGE.matches("createElement(\"button\")").count();
    let named = PAGE.matches("b.textContent = ").count();
    assert_eq!(
        made, named,
        "every button the script makes is given its text"
    );
}

#[test]
fn results_are_announced() {
    for id in [
        "received",
        "verdict",
        "bRank",
        "fRank",
        "lobbyCount",
        "order",
        "error",
        "sProgress",
        "sSaving",
        "fbVerdict",
        "sumRight",
    ] {
        let tag = element_with_id(id);
        let live = attribute(tag, "aria-live").is_some()
            || matches!(attribute(tag, "role"), Some("status" | "alert"));
        // The verdict sits in the reveal section, itself a live region.
        let in_live_section =
            id == "verdict" && attribute(element_with_id("reveal"), "aria-live").is_some();
        assert!(live || in_live_section, "#{id} is not announced: {tag}");
    }
}

#[test]
fn nothing_needs_dragging() {
    for drag in [
        "draggable",
        "dragstart",
        "ondrag",
        "touchmove",
        "pointermove",
    ] {
        assert!(!PAGE.contains(drag), "the page uses {drag}");
    }
    // The timeline is ordered by tapping, with Undo, and says which events are placed.
    assert!(PAGE.contains("Tap the events from earliest to latest."));
    assert!(element_with_id("undo").contains("button"));
    assert!(PAGE.contains("aria-pressed"));
}

#[test]
fn the_warmup_has_no_countdown_and_sends_typed_answers_with_enter() {
    let study = &PAGE[PAGE.find("<section id=\"study\"").unwrap()..];
    let study = &study[..study.find("</section>").unwrap()];
    assert!(!study.contains("timer"), "no countdown in the study phase");
    // The typed answer is a form: Enter in its field submits it.
    assert!(study.contains("<form id=\"sTyped\""));
    assert!(element_with_id("sSend").contains("type=\"submit\""));
}

#[test]
fn the_page_says_its_language() {
    assert!(PAGE.contains("<html lang=\"en\">"));
}
