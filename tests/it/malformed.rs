//! Each file under tests/fixtures/malformed/ starts with
//! `// expect: <message>` and, when the place is in the file, `// at: "<text>"`
//! (a JSON string): `guihua lint` must exit 1, name the message, and point
//! at the first occurrence of that text after the header, as file:line:col.
//! A fixture with several errors has one `expect` (and `at`) line for each.

use crate::util::{guihua, root};

/// The header: each expected message with the text it points at, and
/// where the body after the header starts.
fn header(text: &str) -> (Vec<(String, Option<String>)>, usize) {
    let mut expects: Vec<(String, Option<String>)> = Vec::new();
    let mut body_start = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end();
        if let Some(m) = l.strip_prefix("// expect: ") {
            expects.push((m.to_string(), None));
        } else if let Some(j) = l.strip_prefix("// at: ") {
            let at = serde_json::from_str::<String>(j).expect("JSON string");
            expects.last_mut().expect("`at` after its `expect`").1 = Some(at);
        } else {
            break;
        }
        body_start += line.len();
    }
    (expects, body_start)
}

fn location_of(text: &str, body_start: usize, needle: &str) -> (usize, usize) {
    let off = body_start
        + text[body_start..]
            .find(needle)
            .expect("`at` text occurs in the fixture");
    let line = text[..off].matches('\n').count() + 1;
    let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..off].chars().count() + 1)
}

#[test]
fn every_malformed_fixture_gives_a_located_error_and_exit_1() {
    let dir = root().join("tests/fixtures/malformed");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let (expects, body_start) = header(&text);
        assert!(!expects.is_empty(), "{}: header", path.display());
        let p = path.to_str().unwrap();
        let r = guihua(&["lint", p]);
        let name = path.file_name().unwrap().to_string_lossy();
        assert_eq!(r.code, 1, "{name}: exit code\n{}", r.stderr);
        assert!(
            !r.stderr.contains("panicked"),
            "{name} panicked:\n{}",
            r.stderr
        );
        for (expect, at) in &expects {
            assert!(
                r.stderr.contains(expect.as_str()),
                "{name}: no `{expect}` in\n{}",
                r.stderr
            );
            let loc = match at {
                Some(a) => {
                    let (l, c) = location_of(&text, body_start, a);
                    format!("{p}:{l}:{c}")
                }
                None => format!("{p}:"),
            };
            assert!(
                r.stderr.contains(&loc),
                "{name}: no location `{loc}` in\n{}",
                r.stderr
            );
            // The message says it in Chinese too (quoted input aside).
            let headline = r
                .stderr
                .lines()
                .find(|l| l.contains(expect.as_str()))
                .expect("the expected message");
            let unquoted: String = headline.split('`').step_by(2).collect();
            assert!(
                unquoted
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{name}: no Chinese in `{headline}`"
            );
        }
        // The offending line is shown under the location, with a caret.
        assert!(
            r.stderr.contains(" | ") && r.stderr.contains('^'),
            "{name}: no caret\n{}",
            r.stderr
        );
        n += 1;
    }
    assert!(n >= 20, "only {n} malformed fixtures");
}

#[test]
fn did_you_mean_for_misspelt_category_status_and_indicator() {
    let dir = root().join("tests/fixtures/malformed");
    for (f, hint) in [
        ("unknown_category.guihua", "did you mean `经济发展`?"),
        ("unknown_status.guihua", "did you mean `达到预期`?"),
        (
            "undefined_indicator_in_rule.guihua",
            "did you mean `城镇化率`?",
        ),
        ("unknown_function.guihua", "did you mean `latest`?"),
        ("unknown_target_form.guihua", "did you mean `reach`?"),
    ] {
        let r = guihua(&["lint", dir.join(f).to_str().unwrap()]);
        assert!(r.stderr.contains(hint), "{f}: no `{hint}` in\n{}", r.stderr);
    }
}

#[test]
fn eval_on_malformed_rules_evaluates_nothing() {
    let f = root().join("tests/fixtures/malformed/tied_cycle.guihua");
    let r = guihua(&["eval", "--rules", f.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("tied targets form a cycle: `甲` → `乙` → `甲`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_misquote_points_at_the_first_character_that_differs() {
    let r = guihua(&[
        "lint",
        root()
            .join("tests/fixtures/malformed/source_not_in_corpus.guihua")
            .to_str()
            .unwrap(),
    ]);
    assert!(
        r.stderr
            .contains("it differs from `全区城镇常住人口城镇化率`"),
        "{}",
        r.stderr
    );
}

#[test]
fn warnings_for_branches_that_can_never_fire_do_not_fail_lint() {
    let r = guihua(&[
        "lint",
        root()
            .join("tests/fixtures/warnings/never_fires.guihua")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r
        .stderr
        .contains("this branch can never fire: it comes after `otherwise`"));
    assert!(r
        .stderr
        .contains("this branch can never fire: its condition is always false"));
    assert!(r
        .stderr
        .contains("this branch can never fire: an earlier branch has the same condition"));
    // 暂无数据 is declared and, its only branch being after `otherwise`, given by no rule.
    assert!(r
        .stderr
        .contains("status `暂无数据` is declared but no rule gives it"));
    assert!(r.stdout.contains("没有错误，4 个警告"), "{}", r.stdout);
}

#[test]
fn non_utf8_and_empty_rule_files() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.guihua");
    std::fs::write(&bad, b"plan \xff\xfe {").unwrap();
    let r = guihua(&["lint", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not UTF-8"), "{}", r.stderr);
    let empty = dir.path().join("empty.guihua");
    std::fs::write(&empty, "").unwrap();
    let r = guihua(&["lint", empty.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no `plan` declared"), "{}", r.stderr);
}

/// Every message the checker can give has its Chinese: each string literal
/// passed to `Diagnostic::error`/`warning`/`.help`/`.expected` in the source,
/// with its `{…}` parts filled in, is found in `messages`' catalogue. A new
/// diagnostic without a translation fails here, not in front of a planner.
#[test]
fn every_diagnostic_in_the_source_has_its_chinese() {
    let mut missing = Vec::new();
    let mut n = 0;
    // Every source file that words a diagnostic.
    let files: Vec<_> = crate::architecture::rs_files()
        .into_iter()
        .filter(|(_, src)| src.contains("Diagnostic"))
        .collect();
    assert!(files.len() >= 10, "{} files", files.len());
    for (file, src) in &files {
        let file = file.display();
        for call in [
            "Diagnostic::error(",
            "Diagnostic::warning(",
            ".help(",
            ".expected(",
        ] {
            for (at, _) in src.match_indices(call) {
                // The first string literal of the call (its message).
                let rest = &src[at + call.len()..];
                let Some(open) = rest.find('"') else { continue };
                // Only literals inside this call, before its argument list ends.
                if rest[..open].contains(';') {
                    continue;
                }
                let lit = &rest[open + 1..];
                let mut end = 0;
                let bytes = lit.as_bytes();
                while end < bytes.len()
                    && !(bytes[end] == b'"' && (end == 0 || bytes[end - 1] != b'\\'))
                {
                    end += 1;
                }
                let template = lit[..end].replace("\\\"", "\"").replace("\\\\", "\\");
                // Code-only expectations (`period 2021..2025`) need no words.
                if template.starts_with('`') && template.ends_with('`') && !template.contains(' ')
                    || template.chars().all(|c| !c.is_ascii_alphabetic())
                    || template.starts_with("`period")
                    || template.starts_with("`target")
                {
                    continue;
                }
                // A plain literal is the message itself.
                if !rest[..open].contains("format!(") {
                    n += 1;
                    if guihua::messages::chinese(&template).is_none() {
                        missing.push(format!("{file}: {template}"));
                    }
                    continue;
                }
                // In `format!`, fill `{name}` and `{}` parts with a sample word.
                let mut msg = String::new();
                let mut chars = template.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '{' && chars.peek() == Some(&'{') {
                        chars.next();
                        msg.push('{');
                    } else if c == '}' && chars.peek() == Some(&'}') {
                        chars.next();
                        msg.push('}');
                    } else if c == '{' {
                        for d in chars.by_ref() {
                            if d == '}' {
                                break;
                            }
                        }
                        msg.push_str("x1");
                    } else {
                        msg.push(c);
                    }
                }
                n += 1;
                if guihua::messages::chinese(&msg).is_none() {
                    missing.push(format!("{file}: {msg}"));
                }
            }
        }
    }
    assert!(n >= 60, "found only {n} messages in the source");
    assert!(
        missing.is_empty(),
        "no Chinese for:\n{}",
        missing.join("\n")
    );
}

/// Issue #11: a target form on an indicator it does not apply to is an
/// error whose help names the form to write.
#[test]
fn a_target_form_that_does_not_fit_the_indicator_names_the_right_form() {
    let dir = root().join("tests/fixtures/malformed");
    for (f, help) in [
        (
            "form_cumulative_on_level.guihua",
            "write `target reach <baseline + change>`",
        ),
        (
            "form_bound_on_growth_rate.guihua",
            "write `target rate <average % a year>`",
        ),
        (
            "tied_to_no_number.guihua",
            "tie to an indicator with a `rate` target",
        ),
    ] {
        let r = guihua(&["lint", dir.join(f).to_str().unwrap()]);
        assert_eq!(r.code, 1, "{f}");
        assert!(r.stderr.contains(help), "{f}: no `{help}` in\n{}", r.stderr);
        // Lint stops it: eval evaluates nothing, so no verdict is given.
        let e = guihua(&["eval", "--rules", dir.join(f).to_str().unwrap()]);
        assert_eq!(e.code, 1, "{f}");
        assert!(!e.stdout.contains("超出预期"), "{f}: {}", e.stdout);
    }
}

/// Issue #11: a parent rule written before a new status existed let a child's
/// 严重滞后 fall to `otherwise => 达到预期`; lint now says so (a warning, with
/// where it is and how to handle it), and so for a status no rule gives.
#[test]
fn a_parent_rule_that_misses_a_childs_status_and_an_unreachable_status_are_warned() {
    let f = root().join("tests/fixtures/warnings/parent_misses_a_status.guihua");
    let p = f.to_str().unwrap();
    let r = guihua(&["lint", p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "rule `综合` does not handle `严重滞后`, which sub-indicator `医师` can get: it falls to `达到预期`"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&format!("{p}:24:5")), "{}", r.stderr);
    assert!(r.stderr.contains("children_any(behind)"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("status `待定` is declared but no rule gives it"),
        "{}",
        r.stderr
    );
    // The wrong verdict the warning is about.
    let e = guihua(&["eval", "--rules", p]);
    assert!(e.stdout.contains("医疗卫生【达到预期】"), "{}", e.stdout);

    // Handled through the class: no warning, and the parent is behind.
    let text = std::fs::read_to_string(&f).unwrap().replace(
        "when children_any(低于预期) => 低于预期",
        "when children_any(behind) => 低于预期",
    );
    let dir = tempfile::tempdir().unwrap();
    let fixed = dir.path().join("fixed.guihua");
    std::fs::write(&fixed, text).unwrap();
    let r = guihua(&["lint", fixed.to_str().unwrap()]);
    assert!(!r.stderr.contains("does not handle"), "{}", r.stderr);
    let e = guihua(&["eval", "--rules", fixed.to_str().unwrap()]);
    assert!(e.stdout.contains("医疗卫生【低于预期】"), "{}", e.stdout);
}

/// The bundled rules give no coverage warning (every status they declare is
/// given by a rule, every parent rule handles its children's statuses).
#[test]
fn the_bundled_rules_lint_without_warnings() {
    let r = guihua(&["lint"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("，0 个警告") || r.stderr.contains("0 warning(s)"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

/// A model exists only without errors: every malformed fixture, loaded
/// through the library, gives errors and no model, so evaluation never sees
/// rules with an error in them.
#[test]
fn any_error_means_no_model() {
    let dir = root().join("tests/fixtures/malformed");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Without a corpus, quotes are not checked: a fixture whose only
        // error is a misquote loads; every other one has errors.
        let loaded = guihua::load::load_texts(vec![(name.clone(), text)], None);
        if loaded.has_errors() {
            assert!(loaded.model.is_none(), "{name}: a model despite errors");
            n += 1;
        }
    }
    assert!(n >= 20, "only {n} fixtures with errors");
}
