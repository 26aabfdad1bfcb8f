"""The interactive walk (the only place that prompts) and its session handling."""
