from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Benchmarks and the load test: commands that measure the other apps (and so may import
    every one of them). No models; the production apps never import it."""

    name = "tools"
    label = "tools"
