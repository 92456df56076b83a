"""Watch a Playwright page for Content-Security-Policy violations and console errors."""

from __future__ import annotations

from dataclasses import dataclass, field

REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportPolicyViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`
  );
});
"""


@dataclass
class PolicyWatch:
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.violations == [], self.violations
        assert self.errors == [], self.errors


def watch(page) -> PolicyWatch:
    """From now on, record every `securitypolicyviolation` event (in every frame and every
    page loaded later), every console error or uncaught exception, and every response
    that failed (4xx, 5xx). Watching a page twice returns the first watch."""
    if existing := getattr(page, "policy_watch", None):
        return existing
    seen = PolicyWatch()
    page.policy_watch = seen
    page.expose_function("reportPolicyViolation", lambda text: seen.violations.append(text))
    page.add_init_script(REPORTER)
    page.on("console", lambda message: _console(seen, message))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and seen.errors.append(f"{response.status} {response.url}")
        ),
    )
    return seen


def _console(seen: PolicyWatch, message) -> None:
    if message.type == "error":
        where = message.location.get("url")
        seen.errors.append(f"{message.text} ({where})" if where else message.text)
