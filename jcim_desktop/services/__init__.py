"""Use cases: one function per thing a person does; the window and the CLI both call these."""
