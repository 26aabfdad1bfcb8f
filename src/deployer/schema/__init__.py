"""The content's schema: pydantic models, YAML loading, cross-file rules and the shipped resources.

The bottom of the flow: nothing here imports from another stage.
"""
