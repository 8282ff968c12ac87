"""Views of the intake app: staff registration, reporter submissions, triage."""
