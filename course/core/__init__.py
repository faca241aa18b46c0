"""The floor: shared mechanisms that import nothing of ours."""
