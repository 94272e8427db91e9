"""State changes with rules: one check (every problem, with its place) and one atomic execute.

Every channel that writes (the editing interface, "Moje indikátory", file imports, the REST
API, the generators) calls the same action, so a rule holds everywhere or nowhere.
"""
