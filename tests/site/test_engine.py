"""The build check: includes, panels, front matter and variables fail loudly, naming the step."""

import re
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from main import create_app
from settings import Settings
from tests.conftest import builtin_settings
from tutorial_engine import TutorialError, load_tutorial
from tutorial_engine.directives import DIRECTIVE_PATTERN
from tutorial_engine.highlight_css import STYLESHEET_PATH, highlight_stylesheet
from tutorial_engine.includes import parse_include, resolve_include
from tutorial_engine.sequence import parse_sequence
from tutorial_engine.site import PROJECT_ROOT, SiteTutorial, load_site_tutorial

TUTORIALS_DIR = PROJECT_ROOT / "tutorials"
STEP_FILES = sorted((TUTORIALS_DIR / "steps").glob("*.md"))
GOOD_FRONT_MATTER = '+++\ntitle = "A step"\norder = 1\nsummary = "Short."\n+++\n'
PANEL_FRONT_MATTER = (
    '+++\ntitle = "A step"\norder = 1\nsummary = "Short."\n'
    '[[panels]]\nid = "p"\ntitle = "P"\nmethod = "GET"\nurl = "/healthz"\n+++\n'
)


def include_directives() -> list[tuple[str, str]]:
    """Every include directive in every step, with the step's file name."""
    found = []
    for path in STEP_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = DIRECTIVE_PATTERN.match(line)
            if match and match["argument"].startswith("tutorials/"):
                found.append((path.name, match["argument"]))
    return found


@pytest.mark.parametrize(("step_file", "argument"), include_directives())
def test_included_file_exists_inside_tutorials_and_range_fits(step_file: str, argument: str) -> None:
    include, lines = resolve_include(parse_include(argument), PROJECT_ROOT, TUTORIALS_DIR)
    assert (PROJECT_ROOT / include.path).resolve().is_relative_to(TUTORIALS_DIR)
    assert len(lines) == include.last_line - include.first_line + 1


def test_every_rendered_include_is_a_checked_directive() -> None:
    tutorial = load_site_tutorial(Settings(_env_file=None, public_url="http://testserver"))
    rendered = {include.path for step in tutorial.steps for include in step.includes}
    assert rendered == {parse_include(argument).path for _, argument in include_directives()}


def write_step(root: Path, body: str, front_matter: str = GOOD_FRONT_MATTER, name: str = "01-a-step.md") -> None:
    """A one-step project under `root`."""
    steps = root / "tutorials" / "steps"
    steps.mkdir(parents=True, exist_ok=True)
    (steps / name).write_text(front_matter + body, encoding="utf-8")


def build(root: Path) -> None:
    """Render the project under `root` with no variables but `site`."""
    load_tutorial(root, {"site": "http://testserver"}, lambda panel: f"<panel {panel.id}>")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one example file of five lines, and a file outside `tutorials/`."""
    (tmp_path / "tutorials" / "example").mkdir(parents=True)
    (tmp_path / "tutorials" / "example" / "app.py").write_text("".join(f"line_{n} = {n}\n" for n in range(1, 6)))
    (tmp_path / "secret.py").write_text("KEY = 1\n")
    return tmp_path


def test_include_renders_the_selected_lines(project: Path) -> None:
    write_step(project, "{* tutorials/example/app.py ln[2:3] hl[3] *}\n")
    tutorial = load_tutorial(project, {}, str)
    html = tutorial.steps[0].html
    assert "line_2" in html and "line_3" in html and "line_1" not in html and "line_4" not in html
    assert 'class="hll"' in html
    assert "lines 2–3" in html


@pytest.mark.parametrize(("directive", "message"), [
    ("{* tutorials/example/missing.py *}", "does not exist"),
    ("{* tutorials/example/app.py ln[4:9] *}", "out of range"),
    ("{* tutorials/example/app.py ln[0:2] *}", "out of range"),
    ("{* tutorials/example/app.py ln[1:2] hl[4] *}", "outside the included range"),
    ("{* tutorials/../secret.py *}", "outside tutorials/"),
    ("{* tutorials/example/app.py lines 1-2 *}", "cannot read include"),
])
def test_broken_include_fails_the_build_naming_the_step(project: Path, directive: str, message: str) -> None:
    write_step(project, f"Intro.\n\n{directive}\n")
    with pytest.raises(TutorialError, match=message) as error:
        build(project)
    assert str(error.value).startswith("tutorials/steps/01-a-step.md: ")


@pytest.mark.parametrize(("front_matter", "body", "message"), [
    ("", "No front matter.\n", "must start with"),
    ('+++\ntitle = "A"\norder = 1\n', "", "not closed"),
    ('+++\ntitle = "A"\norder = 1\n+++\n', "", "misses `summary`"),
    (GOOD_FRONT_MATTER, "```python\nprint('pasted')\n```\n", "pasted code"),
    (GOOD_FRONT_MATTER, "{* try nowhere *}\n", "names no panel"),
    (GOOD_FRONT_MATTER, "Origin: {{ no_such_variable }}\n", "no_such_variable"),
    (GOOD_FRONT_MATTER, "```bash\nls\n", "never closed"),
    (PANEL_FRONT_MATTER, "No panel placed.\n", "never placed"),
    (PANEL_FRONT_MATTER.replace('url = ', 'fill = "access_token"\nurl = '), "{* try p *}\n", "has fill `access_token`"),
])
def test_broken_step_fails_the_build(project: Path, front_matter: str, body: str, message: str) -> None:
    write_step(project, body, front_matter)
    with pytest.raises(TutorialError, match=re.escape(message)):
        build(project)


def test_two_steps_with_one_order_fail_the_build(project: Path) -> None:
    write_step(project, "One.\n", name="01-one.md")
    write_step(project, "Two.\n", name="02-two.md")
    with pytest.raises(TutorialError, match="share the order 1"):
        build(project)


def test_a_broken_tutorial_is_reported_in_one_line_once_the_server_is_up(project: Path, caplog) -> None:
    write_step(project, "{* tutorials/example/missing.py *}\n")
    tutorial = SiteTutorial(Settings(_env_file=None), project_root=project)  # nothing rendered yet: no error
    tutorial.warm_up().join(30)
    [record] = [record for record in caplog.records if record.name == "playground.tutorial"]
    message = record.getMessage()
    assert message.startswith("Tutorial build failed: tutorials/steps/01-a-step.md: ") and "\n" not in message
    with pytest.raises(TutorialError, match="01-a-step.md"):
        tutorial.rendered()


def test_the_tutorial_is_rendered_when_first_needed_not_when_the_app_is_built(tmp_path: Path) -> None:
    app = create_app(builtin_settings(tmp_path))
    tutorial: SiteTutorial = app.state.tutorial
    assert tutorial._tutorial is None
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/tutorials").status_code == 200
    assert tutorial._tutorial is not None
    assert {step.slug for step in tutorial.steps} == tutorial.slugs()


def test_the_warm_up_renders_the_tutorial_on_its_own_thread() -> None:
    tutorial = SiteTutorial(Settings(_env_file=None, public_url="http://testserver"))
    thread = tutorial.warm_up()
    assert thread is not threading.current_thread()
    thread.join(60)
    assert tutorial._tutorial is not None
