"""Pure functions of (content, answers): assessment, budget and procurement route, vendor match,
neutrality, workshop aggregation. No prompts, no printing, no files.
"""
