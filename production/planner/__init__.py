"""The weekly planner: a pure planning engine (instance, matching, validator, instant and
optimised plans, explanations). No database access in this package's engine modules."""
