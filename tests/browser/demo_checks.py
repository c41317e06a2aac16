"""Use each interactive demo (a `.course-demo` box) the way a learner does, and check that it answers.

The contract (docs/architecture.md): the box holds ipywidgets controls and an Output; the callback's text
begins with `Settings: name = readout; name = readout`, each readout formatted as the control shows it, and
draws a matplotlib figure in the same output. For every demo we check that controls and figure render
and that the Settings line matches the controls, then move one control and require that the Settings line
shows the new readout, the figure changes, no figure is stacked on the old one and no error appears.
Screenshots of each demo before and after the change are saved for a person to look at.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

from .lab_page import ERROR_LINE, WIDGET_ERROR_TEXTS, last_error_line

DEMO_SELECTOR = ".jp-NotebookPanel:not(.lm-mod-hidden) .course-demo"
CONTROL_SELECTOR = (".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons, "
                    ".widget-radio, .widget-text, .widget-inline-hbox.widget-play")
# a new figure with this much more of its area transparent than the first one is blank or half drawn
BLANK_JUMP = 0.25
CELL_OUTPUT_XPATH = ("xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), "
                     "' jp-Cell-outputArea ')][1]")

# State of one demo, read in one go: the controls' labels and readouts, the output's Settings line,
# the figures (img src / canvas pixels) and any error text in the output.
STATE_JS = """(demo) => {
  const controls = Array.from(demo.querySelectorAll(%r)).map(c => {
    const label = (c.querySelector('.widget-label')?.innerText || '').trim();
    let readout = c.querySelector('.widget-readout')?.innerText;
    if (readout === undefined) {
      const sel = c.querySelector('select');
      const box = c.querySelector('input[type=checkbox]');
      const pressed = c.querySelector('.mod-active');
      readout = sel ? sel.options[sel.selectedIndex]?.text : box ? String(box.checked)
              : pressed ? pressed.innerText : '';
    }
    // ipywidgets shows a Dropdown option's spaces as no-break spaces (U+00A0): compare them as spaces
    return {label, readout: (readout || '').replace(/\\u00a0/g, ' ').trim(),
            slider: c.classList.contains('widget-slider')};
  });
  // The demo's output: cell outputs displayed right after the box (course.widgets puts the first run
  // there, so nbval can store it) up to the next demo, then the box's own Output widget (later runs).
  const outputs = [];
  const child = demo.closest('.jp-OutputArea-child');
  for (let s = child && child.nextElementSibling; s && !s.querySelector('.course-demo');
       s = s.nextElementSibling) {
    outputs.push(...s.querySelectorAll('.jp-OutputArea-output'));
  }
  outputs.push(...demo.querySelectorAll('.widget-output .jp-OutputArea-output'));
  const text = outputs.map(o => o.innerText || '').join('\\n');
  const settings = text.split('\\n').filter(l => l.startsWith('Settings:'));
  const figures = outputs.flatMap(o => Array.from(o.querySelectorAll('img, canvas'))).map(f =>
      f.tagName === 'IMG' ? (f.complete && f.naturalWidth > 0 ? f.src : 'broken:' + f.src.slice(0, 60))
                          : f.toDataURL());
  // share of fully transparent pixels in the newest figure: a blank or half-drawn PNG shows as
  // transparent (matplotlib's inline figures are opaque white)
  let transparent = null;
  const imgs = outputs.flatMap(o => Array.from(o.querySelectorAll('img')));
  const last = imgs[imgs.length - 1];
  if (last && last.complete && last.naturalWidth > 0) {
    const c = document.createElement('canvas');
    c.width = last.naturalWidth; c.height = last.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(last, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) { if (px[i] === 0) n++; }
    transparent = n / (px.length / 4);
  }
  const stderr = outputs.filter(o => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr')
      .map(o => o.innerText || '');
  return {controls, settings, figures, stderr, text, transparent};
}""" % CONTROL_SELECTOR


@dataclass
class DemoReport:
    """What happened to one demo: problems found, the control moved and its readout before/after."""

    index: int
    problems: list
    control: str = ""
    before: str = ""
    after: str = ""


def parse_settings(line: str) -> list[tuple[str, str]]:
    """`Settings: a = 1.0; b = x` -> [("a", "1.0"), ("b", "x")]. Raises ValueError if malformed."""
    body = line[len("Settings:"):].strip()
    pairs = []
    for item in body.split(";"):
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"malformed Settings item {item.strip()!r} in {line!r} (expected 'name = value')")
        pairs.append((name.strip(), value.strip()))
    return pairs


def settings_value(pairs: list[tuple[str, str]], controls: list[dict], index: int) -> str | None:
    """The Settings value that belongs to control `index`: by its label, else by its position."""
    label = controls[index]["label"].rstrip(":").strip()
    for name, value in pairs:
        if label and name == label:
            return value
    return pairs[index][1] if index < len(pairs) else None


def _state(demo: Locator) -> dict:
    return demo.evaluate(STATE_JS)


def _errors(state: dict) -> list[str]:
    found = [last_error_line(t) for t in state["stderr"] if "Traceback" in t or ERROR_LINE.search(t)]
    found += [f"widget error {m!r}" for m in WIDGET_ERROR_TEXTS if m in state["text"]]
    return found


def _check_static(state: dict, what: str) -> list[str]:
    """Controls, one Settings line matching them, and a figure are there."""
    problems = []
    if not state["controls"]:
        problems.append(f"{what}: no controls rendered")
    if not state["figures"]:
        problems.append(f"{what}: no figure (img or canvas) in the demo's output")
    problems += [f"{what}: {f}" for f in state["figures"] if f.startswith("broken:")]
    if not state["settings"]:
        problems.append(f"{what}: the output has no 'Settings: name = readout' line "
                        f"(output text: {state['text'][:200]!r})")
        return problems
    try:
        pairs = parse_settings(state["settings"][-1])
    except ValueError as exc:
        return problems + [f"{what}: {exc}"]
    for i, control in enumerate(state["controls"]):
        value = settings_value(pairs, state["controls"], i)
        if value != control["readout"]:
            problems.append(f"{what}: Settings line says {value!r} for control {control['label']!r} "
                            f"but the control shows {control['readout']!r} ({state['settings'][-1]!r})")
    return problems


def _move_control(demo: Locator, page: Page, index: int) -> None:
    """Change control `index` by one step: arrow keys on a slider handle, next option elsewhere."""
    control = demo.locator(CONTROL_SELECTOR).nth(index)
    classes = control.get_attribute("class") or ""
    if "widget-slider" in classes:
        handle = control.locator(".noUi-handle").first
        before = control.locator(".widget-readout").inner_text()
        handle.focus()
        handle.press("ArrowRight")
        time.sleep(0.3)
        if control.locator(".widget-readout").inner_text() == before:  # at its maximum: go down instead
            handle.press("ArrowLeft")
    elif "widget-dropdown" in classes:
        select = control.locator("select")
        n = select.evaluate("s => s.options.length")
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % n)
    elif "widget-checkbox" in classes:
        control.locator("input[type=checkbox]").click()
    else:
        buttons = control.locator("button")
        buttons.nth(1 if buttons.count() > 1 else 0).click()


def _wait_readout_settled(demo: Locator, index: int, quiet: float = 0.6, timeout: float = 5.0) -> str:
    """Wait until the moved control's readout stops changing; return it."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = _state(demo)["controls"][index]["readout"]
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        time.sleep(0.1)
    return last


def _after_change(state: dict, start: dict, target: int) -> dict:
    """Read the output after a change: errors, the target's Settings value, whether the figure changed."""
    try:
        pairs = parse_settings(state["settings"][-1]) if state["settings"] else []
    except ValueError:
        pairs = []
    value = settings_value(pairs, state["controls"], target) if pairs else None
    newest = state["figures"][-1] if state["figures"] else "broken:(none)"
    # a figure still loading reads "broken:" and is not yet a change
    changed = not newest.startswith("broken:") and newest != start["figures"][-1]
    readout = state["controls"][target]["readout"]
    return {"errors": _errors(state), "value": value, "newest": newest, "changed": changed,
            "done": value == readout and changed}


def _settled_state(demo: Locator, quiet: float = 1.5, timeout: float = 15.0) -> dict:
    """The demo's state once its text and figures stayed the same for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    state = _state(demo)
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = _state(demo)
        if (now["text"], now["figures"]) != (state["text"], state["figures"]):
            state, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return state


def check_demo(page: Page, index: int, shots: Path, update_timeout: float) -> DemoReport:
    """Check demo number `index` (0-based) of the open notebook; screenshots go to `shots`."""
    demo = page.locator(DEMO_SELECTOR).nth(index)
    what = f"demo {index + 1}"
    # the screenshots show the whole cell output: the box and the first run displayed after it
    area = demo.locator(CELL_OUTPUT_XPATH)
    area.scroll_into_view_if_needed()
    shots.mkdir(parents=True, exist_ok=True)
    area.screenshot(path=str(shots / f"demo{index + 1}-before.png"))
    start = _state(demo)
    report = DemoReport(index=index, problems=_check_static(start, what) + [
        f"{what}: error in output before any change: {e}" for e in _errors(start)])
    if not start["controls"] or report.problems:
        return report
    # move the first slider if there is one (the learner's usual first move), else the first control
    target = next((i for i, c in enumerate(start["controls"]) if c["slider"]), 0)
    report.control = start["controls"][target]["label"] or f"control {target + 1}"
    report.before = start["controls"][target]["readout"]
    _move_control(demo, page, target)
    report.after = _wait_readout_settled(demo, target)
    if report.after == report.before:
        report.problems.append(f"{what}: control {report.control!r} did not move from {report.before!r}")
        return report

    deadline = time.monotonic() + update_timeout
    while True:
        verdict = _after_change(_state(demo), start, target)
        if verdict["errors"] or verdict["done"] or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    # Judge the settled output, not the first frame that looked right: late messages (a second
    # flush of the figure, the Output widget's state echo) can still replace what is shown.
    state = _settled_state(demo)
    verdict = _after_change(state, start, target)
    errors, value, newest, figure_changed = (verdict[k] for k in ("errors", "value", "newest", "changed"))
    area.screenshot(path=str(shots / f"demo{index + 1}-after.png"))
    moved = f"after moving {report.control!r} from {report.before!r} to {report.after!r}"
    report.problems += [f"{what}: error {moved}: {e}" for e in errors]
    if value != report.after:
        report.problems.append(f"{what}: Settings line shows {value!r} for {report.control!r} {moved} "
                               f"(last Settings line: {state['settings'][-1:]!r})")
    if not figure_changed:
        report.problems.append(f"{what}: figure did not change {moved}" + (
            " (no figure shown)" if not state["figures"] else
            f" (newest figure does not load: {newest[7:70]})" if newest.startswith("broken:") else ""))
    if figure_changed and state["transparent"] is not None and start["transparent"] is not None \
            and state["transparent"] > start["transparent"] + BLANK_JUMP:
        report.problems.append(
            f"{what}: the new figure is blank or half drawn {moved}: {state['transparent']:.0%} of its "
            f"pixels are transparent, {start['transparent']:.0%} before")
    if len(state["figures"]) > len(start["figures"]):
        report.problems.append(f"{what}: {len(state['figures'])} figures {moved}, "
                               f"{len(start['figures'])} before: figures are stacked, not replaced")
    return report


def check_demos(page: Page, shots: Path, update_timeout: float = 60.0) -> tuple[int, list[DemoReport]]:
    """Check every demo of the open notebook; returns (number of demos, reports)."""
    n = page.locator(DEMO_SELECTOR).count()
    return n, [check_demo(page, i, shots, update_timeout) for i in range(n)]
