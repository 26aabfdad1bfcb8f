"""Renderers: turn plain results (assessment, budget, answers) into text and documents."""
