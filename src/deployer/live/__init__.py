"""The live training session: a small web server on the trainer's laptop (see README « Séance en direct »)."""
