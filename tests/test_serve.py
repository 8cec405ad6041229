"""`serve` without a browser: its safety checks, its errors (the CLI's), specs in and out.

The browser tests (test_serve_browser.py) drive the same app through chromium.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.content.loading import load_project
from dnaoc_print.errors import ContentErrors
from dnaoc_print.web.app import create_app
from dnaoc_print.web.composer import Composition, read_uploaded_spec, spec_yaml
from dnaoc_print.web.composer import check_form as check
from dnaoc_print.web.preview import Workspace

from conftest import copy_project
from pdf_inspect import PdfFacts, plain

# Flask's test client says it is at http://localhost/.
HOST = "localhost"
SESSION_FORM = {
    "title": "Compassion in our team",
    "date": "2026-12-01",
    "story": ["touch", "stay"],
    "question": "compassion:3",
    "layout": "cards",
    "paper": "a4",
    "orientation": "portrait",
    "notes": "lines",
    "warning": "standard",
    "brand": "dna-of-care",
}
# Eight long questions on an A5 question sheet: more than its page holds.
_LONG = "What would you say to a colleague who " + "felt unheard and tired and alone " * 6
TOO_LONG_FORM = {
    **SESSION_FORM,
    "layout": "questions",
    "paper": "a5",
    "question": [],
    "own_questions": "\n".join(f"{_LONG}? ({n})" for n in range(8)),
}


def client_for(root: Path):
    workspace = Workspace(root, workers=1)
    return SimpleNamespace(
        root=root, workspace=workspace, client=create_app(workspace, {HOST}).test_client()
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """The app on a copy of the shipped project (one worker, started on first use)."""
    served = client_for(copy_project(tmp_path_factory.mktemp("serve") / "project"))
    yield served
    served.workspace.close()


def test_requests_from_other_sites_are_refused(served) -> None:
    client = served.client
    assert client.get("/").status_code == 200
    # DNS rebinding: a page at evil.example resolves its name to 127.0.0.1.
    assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 403
    # A form on another site posting here.
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        refused = client.post("/spec.yaml", data=SESSION_FORM, headers=headers)
        assert refused.status_code == 403, headers
        assert b"title:" not in refused.data
    allowed = client.post("/spec.yaml", data=SESSION_FORM, headers={"Origin": f"http://{HOST}"})
    assert allowed.status_code == 200 and b"title: Compassion in our team" in allowed.data


def test_form_errors_are_the_clis_shown_beside_their_fields(served) -> None:
    form = {**SESSION_FORM, "story": ["touch", "sty"], "date": "2026-13-01", "notes": "boxy"}
    answer = served.client.post("/api/preview", data=form).get_json()
    assert answer["state"] == "invalid"
    # The form is a spec: the CLI reading the same values from a spec file says the same.
    spec = served.root / "form-errors.yaml"
    spec.write_text(
        f"title: {form['title']}\nstories: [touch, sty]\nsession:\n  date: {form['date']}\n"
        f"notes: {form['notes']}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as cli:
        make_handouts(served.root, spec=spec)
    spec.unlink()
    expected = {"unknown story id 'sty'": "stories", "is not a date": "date", "boxy": "notes"}
    for error in cli.value.errors:
        field = next(field for words, field in expected.items() if words in error.message)
        assert any(error.message in text for text in answer["errors"][field]), error.message
        assert error.hint is None or any(error.hint in text for text in answer["errors"][field])
    assert len(cli.value.errors) == len(expected)

    # Without JavaScript the page is posted and comes back with the same errors in place.
    page = served.client.post("/", data=form).get_data(as_text=True)
    date_input = re.search(r'<input type="date" id="date"[^>]*>', page)[0]
    described_by = re.search(r'aria-describedby="([^"]*)"', date_input)[1].split()
    assert "date-error" in described_by and 'aria-invalid="true"' in date_input
    assert re.search(r'id="date-error">[^<]*is not a date', page)


def test_a_handout_too_long_for_its_page_is_not_downloaded(served) -> None:
    answer = served.client.post("/api/preview", data=TOO_LONG_FORM).get_json()
    assert answer["state"] == "too long" and answer["overflow_mm"] > 0
    assert answer["message"].startswith("To fit: remove a story or a question")
    refused = served.client.post("/handout.pdf", data=TOO_LONG_FORM)
    assert refused.status_code == 422 and not refused.data.startswith(b"%PDF")
    assert "Too long by" in refused.get_data(as_text=True)


def test_uploads_are_size_limited_and_checked_like_spec_files(served) -> None:
    big = io.BytesIO(b"title: x\n" + b"# padding\n" * 20_000)
    too_big = served.client.post("/load", data={"spec": (big, "big.yaml")})
    assert too_big.status_code == 413
    bad = io.BytesIO(b"title: Ward huddle\nstories: [touch, sty]\nnotes: lines\n")
    page = served.client.post("/load", data={"spec": (bad, "huddle.yaml")})
    text = page.get_data(as_text=True)
    assert "huddle.yaml, line 2: unknown story id &#39;sty&#39;" in text
    assert 'value="Ward huddle"' in text


def test_a_saved_spec_reads_back_as_the_same_handout(served) -> None:
    project = load_project(served.root)
    brands = ["dna-of-care", "example-trust"]
    composition = Composition(
        title="Huddle: what matters",
        date="2026-12-01",
        venue="Ward 7, staff room",
        stories=["stay", "touch"],
        questions=["compassion:3"],
        own_questions="What would help?\nWho helps you: at work, at home?",
        warning="own",
        warning_text="Some stories are sad.",
        paper="a5",
        brand="example-trust",
        link_params="utm_source=handout",
    )
    text = spec_yaml(composition.spec())
    again = Composition.from_spec(read_uploaded_spec(text.encode(), "spec.yaml"), project)
    assert again.spec() == composition.spec()
    assert check(again, project, brands).handout == check(composition, project, brands).handout
    # A spec that says nothing of a warning has the default, as on the command line.
    for written, warning in (
        ("", "noted"),
        ("content_warning: no\n", "none"),
        ("content_warning: yes\n", "standard"),
    ):
        spec = read_uploaded_spec(f"title: Huddle\n{written}".encode(), "spec.yaml")
        assert Composition.from_spec(spec, project).warning == warning


def test_a_guide_with_broken_content_shows_its_problem_on_its_page(tmp_path: Path) -> None:
    served = client_for(copy_project(tmp_path / "project"))
    guide = served.root / "content/guides/resilience.md"
    guide.write_text(guide.read_text().replace("order: ", "order: first ", 1))
    page = served.client.get("/pages/guide/resilience")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "This guide cannot be made" in text
    assert "content/guides/resilience.md, line" in text
    # The composer still opens, and says what is wrong.
    assert "content/guides/resilience.md" in served.client.get("/").get_data(as_text=True)
    # Its questions are sound: a handout may still borrow them, as on the command line.
    loaded = served.workspace.loaded()
    borrowing = Composition(
        guide="resilience", title="Huddle", stories=["touch"], questions=["resilience:1"]
    )
    assert check(borrowing, loaded.project, loaded.brand_names).ok
    assert served.client.get("/pages/guide/no-such-guide").status_code == 404
    served.workspace.close()


def test_a_broken_story_stops_only_what_shows_it(tmp_path: Path) -> None:
    served = client_for(copy_project(tmp_path / "project"))
    catalogue = served.root / "content/stories.yaml"
    text = catalogue.read_text()
    # Stay's entry gets a field no story has.
    catalogue.write_text(text.replace("- id: stay\n", "- id: stay\n  colour: blue\n", 1))
    line = catalogue.read_text().splitlines().index("  colour: blue") + 1
    where = f"content/stories.yaml, line {line}"
    composer = served.client.get("/").get_data(as_text=True)
    # Every good story is offered; the broken one is not, and the page says why.
    assert 'id="story-touch"' in composer and 'id="story-stay"' not in composer
    assert where in composer
    # A handout that shows it cannot be made, and its page says where to look.
    using_stay = [h for h in load_project(served.root, partial=True).broken if h.kind == "handout"]
    assert using_stay
    page = served.client.get(f"/pages/handout/{using_stay[0].name}").get_data(as_text=True)
    assert "This handout cannot be made" in page and where in page
    # Asked for by a form (a loaded spec, an old tab), it is refused beside its field.
    answer = served.client.post("/api/preview", data=SESSION_FORM).get_json()
    assert answer["state"] == "invalid"
    assert any(
        f"the story 'stay' cannot be used: {where}" in e for e in answer["errors"]["stories"]
    )
    # Without it, the same form makes its handout.
    answer = served.client.post("/api/preview", data={**SESSION_FORM, "story": ["touch"]})
    assert answer.get_json()["state"] == "fits"
    served.workspace.close()


def test_a_placeholder_left_in_a_loaded_spec_is_said_beside_its_field(served) -> None:
    written = "title: Huddle\nstories: [touch]\nsession:\n  facilitator: ((Your name here))\n"
    spec = io.BytesIO(written.encode())
    page = served.client.post("/load", data={"spec": (spec, "huddle.yaml")})
    text = page.get_data(as_text=True)
    facilitator = re.search(r'<input type="text" id="facilitator"[^>]*>', text)[0]
    assert "facilitator-warning" in re.search(r'aria-describedby="([^"]*)"', facilitator)[1]
    warning = re.search(r'id="facilitator-warning">([^<]*)<', text)[1]
    assert "((Your name here))" in warning and "placeholder" in warning
    form = {**SESSION_FORM, "facilitator": "((Your name here))"}
    answer = served.client.post("/api/preview", data=form).get_json()
    assert answer["state"] == "fits" and answer["warnings"]["facilitator"]
    assert not served.client.post("/api/preview", data=SESSION_FORM).get_json()["warnings"]
    # The preview shows it; Download waits until it is replaced (it is never printed).
    refused = served.client.post("/handout.pdf", data=form)
    assert refused.status_code == 422 and b"Download waits" in refused.data


def test_serve_says_clearly_when_it_cannot_start(tmp_path: Path) -> None:
    import socket

    from click.testing import CliRunner

    from dnaoc_print.cli.main import main

    runner = CliRunner()
    not_a_project = runner.invoke(main, ["serve", "-C", str(tmp_path), "--port", "0"])
    assert not_a_project.exit_code == 1 and "no content folder here" in not_a_project.output
    root = copy_project(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for command in ("serve", "preview"):
            busy = runner.invoke(main, [command, "-C", str(root), "--port", port])
            assert busy.exit_code == 1, busy.output
            assert f"cannot listen on port {port}" in busy.output and "--port" in busy.output
            assert "Traceback" not in busy.output


def test_the_apps_colours_meet_wcag_aa() -> None:
    from dnaoc_print.brands.colours import contrast_ratio

    css = (Path(__file__).parents[1] / "src/dnaoc_print/web/static/style.css").read_text()
    colours = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6});", css))
    colours["white"] = "#ffffff"
    pairs = [(text, "white") for text in ("ink", "quiet", "accent", "good", "bad")]
    pairs += [("quiet", "tint"), ("good", "tint"), ("bad", "tint"), ("white", "accent")]
    for text, background in pairs:
        ratio = contrast_ratio(colours[text], colours[background])
        assert ratio >= 4.5, f"--{text} on --{background}: {ratio:.2f}:1"


def test_the_standard_warning_offered_is_the_one_wording_yaml_prints(served) -> None:
    import html

    words = load_project(served.root).words["handout"]["content_warning"]
    page = html.unescape(served.client.get("/").get_data(as_text=True))
    shown = re.search(r'id="warning-standard-text">“([^”]*)”', page)[1]
    assert shown == words
    for choice in ("The standard warning", "No warning", "A warning in my own words"):
        assert choice in page


def test_a_fresh_forms_problems_are_in_the_forms_words_beside_their_fields(served) -> None:
    answer = served.client.post("/api/preview", data={"guide": "compassion"}).get_json()
    assert answer["state"] == "invalid" and answer["general"] == []
    assert answer["errors"] == {
        "stories": [
            "Choose 1 to 6 stories for the layout “Story cards” (0 chosen now), "
            "or choose another layout."
        ]
    }
    nothing = served.client.post("/api/preview", data={}).get_json()["errors"]
    assert nothing["title"] == [
        "Give the handout a title (or choose one story, and its title is used)."
    ]
    two = {"story": ["touch", "stay"], "layout": "single"}
    assert served.client.post("/api/preview", data=two).get_json()["errors"]["stories"] == [
        "Choose one story for the layout “One story, large” (2 chosen now), "
        "or choose another layout."
    ]
    # The checks are the CLI's: the same spec as a file fails there, in the file's words.
    spec = served.root / "no-stories.yaml"
    spec.write_text("questions: [compassion:1]\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as cli:
        make_handouts(served.root, spec=spec)
    spec.unlink()
    assert [error.message for error in cli.value.errors] == [
        "the 'cards' layout takes 1 to 6 stories, not 0"
    ]
    # Before anything is chosen the page says what to do, not what is wrong.
    page = served.client.get("/?guide=compassion").get_data(as_text=True)
    assert "Choose stories to see your handout." in page
    assert "missing field" not in page and 'class="error" id="stories-error"></p>' in page


def test_with_no_title_the_handout_takes_the_clis_default_or_the_guides(served) -> None:
    project = load_project(served.root)
    brands = ["dna-of-care"]
    one = check(Composition(stories=["touch"]), project, brands)
    assert one.ok and one.handout.title == "Touch" and one.default_title == "Touch"
    # Two stories no guide shares: the chosen guide's title; with no guide, a title is asked for.
    unrelated = Composition(guide="resilience", stories=["touch", "dis-integration"])
    assert check(unrelated, project, brands).handout.title == "Resilience"
    no_guide = Composition(stories=["touch", "dis-integration"])
    assert "title" in check(no_guide, project, brands).errors
    # What is saved says the title printed, so the CLI prints it too.
    form = {"guide": "resilience", "story": ["touch", "dis-integration"]}
    saved = served.client.post("/spec.yaml", data=form)
    assert saved.data.decode().startswith("title: Resilience\n")
    assert 'filename="resilience.yaml"' in saved.headers["Content-Disposition"]
    page = served.client.get("/?guide=compassion").get_data(as_text=True)
    assert 'placeholder="Defaults to: Compassion"' in page


def test_a_storys_note_is_called_what_the_pdfs_call_it(served) -> None:
    import html

    label = load_project(served.root).words["content_warning_label"]
    page = html.unescape(served.client.get("/").get_data(as_text=True))
    assert f"{label}: A tragedy and the crisis that follows." in page
    assert "Content note" not in page


def test_the_default_warning_is_the_same_on_the_command_line_and_in_the_form(served) -> None:
    from dnaoc_print.web.composer import reader_for

    project = load_project(served.root)
    assert project.stories["stay"].content_note and not project.stories["touch"].content_note
    for stories, expected in ((["touch"], False), (["touch", "stay"], True)):
        form = Composition(title="Huddle", stories=stories)
        assert form.warning == "noted" and "content_warning" not in form.spec()
        assert (
            Composition.from_form(
                SimpleNamespace(get={"title": "Huddle"}.get, getlist=lambda name: [])
            ).warning
            == "noted"
        )
        # The CLI reading the spec the form saves (no content_warning in it).
        saved = served.root / "huddle.yaml"
        saved.write_text(spec_yaml(form.spec()), encoding="utf-8")
        errors: list = []
        reader = reader_for(project, errors)
        from_file = reader.handout(reader.read_file(saved, saved), "huddle", saved)
        saved.unlink()
        assert not errors
        composed = check(form, project, ["dna-of-care"]).handout
        assert bool(from_file.content_warning) is expected
        assert composed.content_warning == from_file.content_warning


def load(served, written: str, name: str = "huddle.yaml") -> str:
    """The composer page after "Open saved choices" with a file holding ``written``."""
    spec = io.BytesIO(written.encode())
    return served.client.post("/load", data={"spec": (spec, name)}).get_data(as_text=True)


def load_problems(page: str) -> str:
    import html

    found = re.search(r'id="load-problems">(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found[1])) if found else ""


def test_a_guide_broken_elsewhere_keeps_its_sound_questions_in_the_form(tmp_path: Path) -> None:
    served = client_for(copy_project(tmp_path / "project"))
    guide = served.root / "content/guides/compassion.md"
    guide.write_text(guide.read_text().replace("stories:\n  - touch\n", "stories:\n  - touchh\n"))
    project = load_project(served.root, partial=True)
    assert "compassion" not in {g.slug for g in project.guides}
    wanted = [project.questions["compassion"][n - 1].text for n in (3, 4)]
    # A spec saved earlier, borrowing two of its questions: both are kept and ticked.
    page = load(served, "stories: [touch, stay]\nquestions: [compassion:3, compassion:4]\n")
    assert load_problems(page) == ""
    for number in (3, 4):
        assert re.search(rf'value="compassion:{number}" checked>', page), number
    # Its questions are offered, under its title, and it is still in the guide list.
    assert '<option value="compassion" selected>Compassion</option>' in page
    assert 'id="question-compassion-1"' in page
    form = {
        **SESSION_FORM,
        "guide": "compassion",
        "question": ["compassion:3", "compassion:4"],
    }
    answer = served.client.post("/api/preview", data=form).get_json()
    assert answer["state"] == "fits", answer
    download = served.client.post("/handout.pdf", data=form)
    assert download.data.startswith(b"%PDF")
    (tmp_path / "huddle.pdf").write_bytes(download.data)
    text = plain(PdfFacts.open(tmp_path / "huddle.pdf").text())
    for question in wanted:
        assert plain(question) in text
    served.workspace.close()


def test_a_loaded_spec_keeps_its_known_stories_and_says_what_it_leaves_out(served) -> None:
    page = load(
        served, "title: Huddle\nstories: [touch, nosuch-story]\nquestions: [compassion:99]\n"
    )
    problems = load_problems(page)
    # The CLI's problem, with its file and line, then what the form did with it.
    assert "huddle.yaml, line 2: unknown story id 'nosuch-story'" in problems
    assert "guide 'compassion' has no question 99" in problems
    assert "Left out of the form: the story 'nosuch-story'; the question compassion:99" in problems
    assert re.search(r'id="story-touch" name="story" value="touch"[^>]*checked', page)
    assert 'id="story_order" value="touch"' in page
    # The guide is guessed from what is kept, never from a question left out.
    page = load(served, "title: Huddle\nstories: [stay]\nquestions: [nosuch:1, resilience:2]\n")
    assert "Left out of the form: the question nosuch:1" in load_problems(page)
    assert '<option value="resilience" selected>' in page and "no guide 'nosuch'" not in page
    assert "compassion:99" not in page.split('id="load-problems"')[1].split("</div>")[1]


def test_a_loaded_specs_problems_point_to_the_forms_lists_not_commands(served) -> None:
    page = load(served, "title: Huddle\nstories: [sty]\nquestions: [compassion:99, nosuch:1]\n")
    problems = load_problems(page)
    assert problems, page
    for file_or_command in ("dnaoc-print", "list questions", "content/stories.yaml"):
        assert file_or_command not in problems
    assert "did you mean 'stay'?" in problems
    assert "it has questions 1 to 10" in problems
    assert "“3. Questions”" in problems
    # The command line keeps its own words.
    spec = served.root / "bad-refs.yaml"
    spec.write_text("title: Huddle\nstories: [touch]\nquestions: [compassion:99]\n")
    with pytest.raises(ContentErrors) as cli:
        make_handouts(served.root, spec=spec)
    spec.unlink()
    assert "dnaoc-print list questions compassion" in str(cli.value)


def test_advice_to_fit_is_in_the_forms_words(served) -> None:
    answer = served.client.post("/api/preview", data=TOO_LONG_FORM).get_json()
    assert answer["state"] == "too long"
    advice = answer["message"]
    for words in ("Room for notes: None", "Content warning: “No warning”", "Paper: A4"):
        assert words in advice, advice
    for file_words in ("notes: none", "content_warning", "paper: a4", "--"):
        assert file_words not in advice
    # Without JavaScript, the same words.
    page = served.client.post("/", data=TOO_LONG_FORM).get_data(as_text=True)
    assert "Room for notes: None" in page and "paper: a4" not in page


def test_your_own_warning_left_empty_is_an_error_beside_it(served) -> None:
    form = {**SESSION_FORM, "warning": "own", "warning_text": "  "}
    answer = served.client.post("/api/preview", data=form).get_json()
    assert answer["state"] == "invalid"
    assert answer["errors"] == {
        "warning": ["Write your warning in the box, or choose another content warning."]
    }
    written = {**form, "warning_text": "Some stories are sad."}
    assert served.client.post("/api/preview", data=written).get_json()["state"] == "fits"


def test_an_empty_title_stays_empty_through_save_and_load(served) -> None:
    page = load(served, "stories: [touch, stay]\nquestions: [compassion:3]\n")
    assert 'id="title" name="title" value=""' in page
    assert 'placeholder="Defaults to: Compassion"' in page
    form = {**SESSION_FORM, "title": "", "guide": "compassion"}
    saved = served.client.post("/spec.yaml", data=form).data.decode()
    assert "title:" not in saved
    assert "title:" not in spec_yaml(
        Composition.from_spec(read_uploaded_spec(saved.encode(), "s.yaml"), None).spec()
    )
    again = load(served, saved, "compassion.yaml")
    assert 'id="title" name="title" value=""' in again
    # The title is found when typesetting, by the CLI too.
    spec = served.root / "saved.yaml"
    spec.write_text(saved)
    errors: list = []
    from dnaoc_print.web.composer import reader_for

    project = load_project(served.root)
    reader = reader_for(project, errors)
    assert reader.handout(reader.read_file(spec, spec), "saved", spec).title == "Compassion"
    spec.unlink()


def selected_brand(page: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)" selected>', page.split('id="brand"')[1])[:1]


def test_a_loaded_specs_unknown_brand_is_said_and_the_forms_default_kept(served) -> None:
    page = load(served, "title: Brand test\nstories: [touch]\nbrand: nobrand\n")
    problems = load_problems(page)
    assert "Left out of the form: the brand 'nobrand'" in problems, problems
    assert (
        "The brand is “dna-of-care”: choose another under “4. Your session”, More settings, Brand."
        in problems
    )
    # The Brand list shows the default, never a brand the browser happened to list first.
    assert selected_brand(page) == ["dna-of-care"]
    # An example brand (brand.yaml says example: true) is not offered as if it were real.
    page = load(served, "title: Brand test\nstories: [touch]\nbrand: example-trust\n")
    assert "Left out of the form: the brand 'example-trust'" in load_problems(page)
    assert "Northdale" not in page.split('id="brand"')[1].split("</select>")[0]


def test_example_brands_are_offered_when_the_project_says_so(tmp_path: Path) -> None:
    """serve.toml's example_brands: offered, by the name printed on the page."""
    root = copy_project(tmp_path / "project")
    workspace = Workspace(root, workers=1)
    client = create_app(workspace, {HOST}, example_brands=("example-trust",)).test_client()
    served = SimpleNamespace(client=client)
    try:
        options = client.get("/").get_data(as_text=True).split('id="brand"')[1]
        options = options.split("</select>")[0]
        assert ">DNA of Care</option>" in options
        assert ">Northdale Community Health (example)</option>" in options
        assert "Riverbank" not in options  # an example the project did not name
        # A name nearly right gets a "did you mean".
        page = load(served, "title: Brand test\nstories: [touch]\nbrand: example-trsut\n")
        assert "the brand 'example-trsut' (did you mean 'example-trust'?)" in load_problems(page)
        # A known brand stays chosen, says nothing, and the file opened is named.
        page = load(served, "title: Brand test\nstories: [touch]\nbrand: example-trust\n")
        assert load_problems(page) == "" and selected_brand(page) == ["example-trust"]
        assert "Opened your saved choices from “huddle.yaml”." in page
    finally:
        workspace.close()


def test_a_loaded_spec_keeps_the_brand_serve_was_started_with(tmp_path: Path) -> None:
    """``serve --brand example-trust``: its brand is the form's default, for a loaded spec too."""
    root = copy_project(tmp_path / "project")
    workspace = Workspace(root, brand="example-trust", workers=1)
    client = create_app(workspace, {HOST}).test_client()
    try:
        for written in ("stories: [touch]\nbrand: nobrand\n", "stories: [touch]\n"):
            spec = io.BytesIO(written.encode())
            page = client.post("/load", data={"spec": (spec, "s.yaml")}).get_data(as_text=True)
            assert selected_brand(page) == ["example-trust"], written
    finally:
        workspace.close()


def test_save_spec_refuses_your_own_warning_left_empty(served) -> None:
    form = {**SESSION_FORM, "warning": "own", "warning_text": ""}
    refused = served.client.post("/spec.yaml", data=form)
    # Like Download: the form comes back, its problem beside the field; nothing is saved.
    assert refused.status_code == 422
    assert "attachment" not in refused.headers.get("Content-Disposition", "")
    page = refused.get_data(as_text=True)
    assert "Write your warning in the box, or choose another content warning." in page
    assert "Nothing was saved: fix the fields marked, then save your choices again." in page
    assert 'id="warning-own" name="warning" value="own" checked' in page
    assert served.client.post("/handout.pdf", data=form).status_code == 422
    assert served.client.post("/api/preview", data=form).get_json()["save_errors"] == ["warning"]
    # Written, it is saved as written, and loads back as "my own words".
    written = {**form, "warning_text": "Some stories are sad."}
    saved = served.client.post("/spec.yaml", data=written)
    assert saved.status_code == 200
    assert "content_warning: Some stories are sad." in saved.data.decode()
    again = load(served, saved.data.decode())
    assert 'id="warning-own" name="warning" value="own" checked' in again
    assert ">Some stories are sad.</textarea>" in again
    # Other unfinished forms still save, as drafts (they load back as they were).
    draft = served.client.post("/spec.yaml", data={**SESSION_FORM, "story": []})
    assert draft.status_code == 200


def test_a_loaded_specs_count_problem_is_in_the_forms_words(served) -> None:
    page = load(served, "title: Huddle\nlayout: single\nstories: [touch, stay]\n")
    problems = load_problems(page)
    assert (
        "huddle.yaml, line 3: Choose one story for the layout “One story, large” "
        "(2 chosen now), or choose another layout." in problems
    ), problems
    for cli_words in ("the 'single' layout", "(cards, single, questions)", "change the list"):
        assert cli_words not in problems


def test_find_a_story_knows_each_theme_by_the_name_the_page_gives_it(served) -> None:
    import html

    page = served.client.get("/").get_data(as_text=True)
    search = {
        found[1]: html.unescape(found[2])
        for found in re.finditer(r'data-id="([^"]+)"[^>]*data-search="([^"]*)"', page)
    }
    stories = load_project(served.root).stories
    assert set(search) == set(stories)
    # Each theme by its guide's title as the Guide list shows it, lower case, one space.
    for theme in ("compassionate leadership", "improvement and change", "whole self"):
        assert any(theme in text for text in search.values()), theme
    assert "compassionate leadership" in search["touch"]
    assert "No story has those words in its title, storyteller or themes." in page


def test_more_settings_are_folded_away_until_one_is_chosen(served) -> None:
    page = served.client.get("/").get_data(as_text=True)
    assert '<details class="more" id="more-settings">' in page
    page = load(served, "title: Huddle\nstories: [touch]\nlink_params: utm_source=handout\n")
    assert '<details class="more" id="more-settings" open>' in page
    assert 'value="utm_source=handout"' in page
