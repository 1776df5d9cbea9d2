"""A rule set's state diagram in Mermaid (`stateDiagram-v2`), for the CLI and the staff page."""

from khcn.workflow.definition import RuleSet


def _quote(text: str) -> str:
    return text.replace('"', "'").replace(":", " -").replace(";", ",").replace("#", "")


def mermaid(rules: RuleSet, *, current: str = "") -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {rules.initial}"]
    for code, state in rules.states.items():
        lines.append(f'    state "{_quote(state.label)}" as {code}')
    for t in rules.transitions:
        label = _quote(t.label) + (" (tự động)" if t.system else "")
        for source in t.sources:
            lines.append(f"    {source} --> {t.target}: {label}")
    for code, state in rules.states.items():
        if state.terminal:
            lines.append(f"    {code} --> [*]")
    if current and current in rules.states:
        lines.append("    classDef current fill:#fff3cd,stroke:#b58105,stroke-width:2px")
        lines.append(f"    class {current} current")
    return "\n".join(lines) + "\n"
